using System.Threading.Channels;
using FFMpegCore;
using NvrBlazor.Domain.Recording;
using FFMpegCore.Enums;
using FFMpegCore.Pipes;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// One clip's ffmpeg, run by FFMpegCore: JPEGs pass through a small bounded channel into the pipe FFMpegCore
/// hands ffmpeg as its input (so a slow ffmpeg slows the writer, whose queue then overflows, instead of memory
/// growing here). Completing the channel ends the input: ffmpeg writes its last fragment and exits 0. A kill
/// (queue overflow, or no exit within the finish timeout) goes through FFMpegCore's cancellation with no grace.
/// </summary>
public sealed class ClipEncoder
{
    /// <summary>Frames between the recorder and ffmpeg's pipe: enough to keep ffmpeg busy, never a second queue.</summary>
    private const int InFlight = 4;
    private static readonly TimeSpan FinishAfterFailure = TimeSpan.FromSeconds(5);

    private readonly Channel<ReadOnlyMemory<byte>> frames = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(InFlight) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource kill = new();
    private readonly CancellationTokenSource ended = new();
    private readonly StderrTail tail = new();
    private readonly Ffmpeg ffmpeg;
    private readonly Task<FfmpegExit> run;

    internal ClipEncoder(Ffmpeg ffmpeg, string output, int fps)
    {
        this.ffmpeg = ffmpeg;
        Output = output;
        ffmpeg.Running.Add(this);
        run = RunAsync(output, fps);
    }

    public string Output { get; }

    /// <summary>Done when ffmpeg has exited (or could not start).</summary>
    public Task<FfmpegExit> Exited => run;

    private async Task<FfmpegExit> RunAsync(string output, int fps)
    {
        try
        {
            ffmpeg.EnsureExists("ffmpeg");
            var result = await FFMpegArguments
                .FromPipeInput(new JpegPipe(frames.Reader, fps), i => i.WithCustomArgument(Ffmpeg.ClipInputArguments))
                .OutputToFile(output, overwrite: true, o => o
                    .WithVideoCodec(VideoCodec.LibX264)
                    .WithSpeedPreset(EncoderPreset.UltraFast)
                    .WithConstantRateFactor(Ffmpeg.ClipQuality)
                    .WithCustomArgument(Ffmpeg.ClipOutputArguments(fps))
                    .ForceFormat(ContainerFormats.Mp4))
                .NotifyOnStandardError(tail.Add)
                .CancellableThrough(kill.Token, TimeSpan.Zero)
                .ProcessAsynchronously(throwOnError: false, ffmpeg.Options, CancellationToken.None);
            return result.Cancelled ? new FfmpegExit(null, $"killed. {tail.Text}".Trim()) : new FfmpegExit(result.ExitCode, tail.Text);
        }
        catch (Exception e) when (Ffmpeg.IsStartFailure(e))
        {
            return new FfmpegExit(null, ffmpeg.CannotStart(e));
        }
        finally
        {
            frames.Writer.TryComplete();
            await ended.CancelAsync();
            ffmpeg.Running.Remove(this);
        }
    }

    /// <summary>Queues one JPEG <paramref name="times"/> times (a duplicated frame for a slow camera). Throws FfmpegException, with ffmpeg's exit, when ffmpeg is gone.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> jpeg, int times, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ended.Token);
        for (var i = 0; i < times; i++)
        {
            try
            {
                await frames.Writer.WriteAsync(jpeg, either.Token);
            }
            catch (Exception e) when (e is ChannelClosedException || (e is OperationCanceledException && ended.IsCancellationRequested))
            {
                var exit = await FinishAsync(FinishAfterFailure);
                throw new FfmpegException(exit.Describe(), exit, e);
            }
        }
    }

    /// <summary>Ends the input so ffmpeg writes its last fragment and exits; kills it if it has not after <paramref name="timeout"/>.</summary>
    public async Task<FfmpegExit> FinishAsync(TimeSpan timeout)
    {
        frames.Writer.TryComplete();
        if (await Task.WhenAny(run, Task.Delay(timeout)) == run)
            return await run;
        Kill();
        var killed = await run;
        return new FfmpegExit(null, $"did not exit within {timeout.TotalSeconds:0} s after its input ended; killed. {killed.ErrorTail}".Trim());
    }

    /// <summary>Kills ffmpeg now (safe from any thread, any number of times).</summary>
    public void Kill()
    {
        frames.Writer.TryComplete();
        try
        {
            kill.Cancel();
        }
        catch (AggregateException)
        {
            // FFMpegCore's cancel callback raced ffmpeg's own exit: it is gone either way.
        }
    }

    /// <summary>The input FFMpegCore connects ffmpeg to: each JPEG written as the recorder hands it over.</summary>
    private sealed class JpegPipe(ChannelReader<ReadOnlyMemory<byte>> frames, int fps) : IPipeSource
    {
        public string GetStreamArguments() => $"-f image2pipe -framerate {fps} -c:v mjpeg";

        public async Task WriteAsync(Stream outputStream, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var jpeg in frames.ReadAllAsync(cancellationToken))
                    await outputStream.WriteAsync(jpeg, cancellationToken);
            }
            catch (IOException)
            {
                // ffmpeg stopped reading (it died or got a signal): its exit code says why.
            }
        }
    }
}
