using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FFMpegCore;
using NvrBlazor.Agent;
using NvrBlazor.Agent.Streaming;
using NvrBlazor.Domain.Agent;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// NvrBlazor.Agent against the real server: ffmpeg test patterns stand in for two webcams, captured through
/// FFMpegCore and streamed over /ingest; the live view is read with a real viewer socket.
/// </summary>
public class AgentTests
{
    private static async Task<(int Id, string Token)> CreateAgentCameraAsync(NvrClient admin, string name)
    {
        using var response = await admin.Http.PostAsJsonAsync("/api/cameras", new { name, kind = "agent" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("camera").GetProperty("id").GetInt32(), body.GetProperty("token").GetString()!);
    }

    /// <summary>An agent running in this process (the same classes as nvr-agent) until disposed; its log kept.</summary>
    private sealed class RunningAgent : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task running;

        public RunningAgent(Uri server, params AgentCamera[] cameras)
        {
            Runner = new AgentRunner(new AgentConfig(server, cameras), new FFOptions(), Log.Enqueue);
            running = Runner.RunAsync(stop.Token);
        }

        public AgentRunner Runner { get; }
        public ConcurrentQueue<string> Log { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(20));
            stop.Dispose();
        }
    }

    private static async Task<(NvrServer Server, NvrClient Admin)> ServerAsync()
    {
        var server = await NvrServer.StartAsync();
        var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        return (server, admin);
    }

    [Fact]
    public async Task Two_webcams_stream_at_their_rate_and_size_obey_fps_and_come_back_after_a_server_restart()
    {
        var (server, admin) = await ServerAsync();
        await using var _ = server;
        using var __ = admin;
        var (porchId, porchToken) = await CreateAgentCameraAsync(admin, "Agent porch");
        var (yardId, yardToken) = await CreateAgentCameraAsync(admin, "Agent yard");
        var running = new RunningAgent(server.BaseUri,
            new AgentCamera("porch", porchToken, "lavfi:testsrc2=size=640x480:rate=25", new CaptureSettings(10, 320, 240, 12)),
            new AgentCamera("yard", yardToken, "lavfi:smptebars=size=640x480:rate=25", new CaptureSettings(4, 160, 120, 20)));
        var (agent, log) = (running.Runner, running.Log);
        await using (running)
        {
            await using (var viewer = await ViewerSocket.ConnectAsync(server.BaseUri, admin.Cookies))
            {
                await viewer.SubscribeAsync(porchId);
                await viewer.SubscribeAsync(yardId);
                var (porchFps, porchSize) = await viewer.RateAsync(porchId, 30);
                var (yardFps, yardSize) = await viewer.RateAsync(yardId, 12);
                ViewerSocket.AssertRate(10, porchFps);
                Assert.Equal((320, 240), porchSize);
                ViewerSocket.AssertRate(4, yardFps);
                Assert.Equal((160, 120), yardSize);

                // The agent's status reached the server, and a command from the server is applied and echoed.
                using (var sent = await admin.Http.PostAsJsonAsync($"/api/cameras/{porchId}/commands", new { command = "fps=5" }))
                    Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
                var detail = await Eventually.ValueAsync(() => admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{porchId}"),
                    d => d.GetProperty("log").EnumerateArray().Any(e => !e.GetProperty("outgoing").GetBoolean() && e.GetProperty("text").GetString() == "fps=5"),
                    TimeSpan.FromSeconds(20), "the echo of fps=5");
                Assert.Equal("5", detail.GetProperty("status").GetProperty("fps").GetString());
                Assert.Equal("porch", detail.GetProperty("status").GetProperty("hostName").GetString());
                Assert.Equal(5, agent.Cameras[0].Settings.Fps);
                viewer.Frames.Clear();
                await Task.Delay(1500); // frames of the old rate still in flight
                viewer.Frames.Clear();
                var (slower, _) = await viewer.RateAsync(porchId, 12);
                ViewerSocket.AssertRate(5, slower);
            }

            // A restart of the server: the agent reconnects by itself and frames flow again.
            await server.RestartAsync();
            await Eventually.ValueAsync(() => Task.FromResult(agent.Cameras.Select(c => c.State).ToList()),
                states => states.All(s => s == LinkState.Connected), TimeSpan.FromSeconds(60), "both cameras connected again");
            await using (var after = await ViewerSocket.ConnectAsync(server.BaseUri, admin.Cookies))
            {
                await after.SubscribeAsync(porchId);
                await after.SubscribeAsync(yardId);
                await after.RateAsync(porchId, 5);
                await after.RateAsync(yardId, 3);
            }
            Assert.Contains(log, l => l.StartsWith("porch: the server closed the connection", StringComparison.Ordinal) || l.StartsWith("porch: the connection failed", StringComparison.Ordinal));
            Assert.True(log.Count(l => l.StartsWith("porch: connected to", StringComparison.Ordinal)) >= 2, string.Join("\n", log));
        }
        Assert.All(agent.Cameras, c => Assert.Equal(LinkState.Stopped, c.State));
        Assert.DoesNotContain(log, l => l.Contains(porchToken, StringComparison.Ordinal) || l.Contains(yardToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_token_is_reported_and_retried_slowly_while_the_other_camera_streams()
    {
        var (server, admin) = await ServerAsync();
        await using var _ = server;
        using var __ = admin;
        var (goodId, goodToken) = await CreateAgentCameraAsync(admin, "Agent good");
        var (gateId, gateToken) = await CreateAgentCameraAsync(admin, "Agent gate");
        const string wrongToken = "nvr_this-token-was-never-issued";
        // An RTSP camera with its password in the URL, that does not answer: the failure is told without the password.
        var secretSource = $"rtsp://admin:hunter2-secret@127.0.0.1:{FreePort.Next()}/stream1";
        var running = new RunningAgent(server.BaseUri,
            new AgentCamera("good", goodToken, "lavfi:testsrc2=size=320x240:rate=10", new CaptureSettings(5, 320, 240, 12)),
            new AgentCamera("wrong", wrongToken, "lavfi:testsrc2=size=320x240:rate=10", new CaptureSettings(5, 320, 240, 12)),
            new AgentCamera("gate", gateToken, secretSource, new CaptureSettings(5, 320, 240, 12)));
        var (agent, log) = (running.Runner, running.Log);
        await using (running)
        {
            var wrong = agent.Cameras[1];
            await Eventually.ValueAsync(() => Task.FromResult(wrong.State), s => s == LinkState.Refused, TimeSpan.FromSeconds(20), "the refusal");
            Assert.Contains("(401)", wrong.LastProblem);
            Assert.True(wrong.NextAttemptAt > DateTimeOffset.UtcNow + TimeSpan.FromSeconds(50), $"next attempt at {wrong.NextAttemptAt}");
            Assert.Single(log, l => l.StartsWith("wrong: the server refused the token nvr_this… (401)", StringComparison.Ordinal));

            await using var viewer = await ViewerSocket.ConnectAsync(server.BaseUri, admin.Cookies);
            await viewer.SubscribeAsync(goodId);
            var (fps, _) = await viewer.RateAsync(goodId, 15);
            ViewerSocket.AssertRate(5, fps);
            Assert.Single(log, l => l.StartsWith("wrong:", StringComparison.Ordinal)); // no second attempt within the minute

            var gate = await Eventually.ValueAsync(() => admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{gateId}"),
                d => d.GetProperty("log").EnumerateArray().Any(e => e.GetProperty("text").GetString()!.StartsWith("capture from rtsp://***@127.0.0.1:", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "the capture failure on the camera's log");
            Assert.DoesNotContain("hunter2", gate.GetRawText());
            Assert.Contains(log, l => l.StartsWith("gate: capture from rtsp://***@127.0.0.1:", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(log, l => l.Contains("hunter2", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains(wrongToken, StringComparison.Ordinal) || l.Contains(goodToken, StringComparison.Ordinal));
    }
    [Fact]
    public async Task An_agent_that_detects_motion_itself_reports_it_and_a_still_picture_reports_none()
    {
        var (server, admin) = await ServerAsync();
        await using var _ = server;
        using var __ = admin;
        var (yardId, yardToken) = await CreateAgentCameraAsync(admin, "Agent yard motion");
        var (wallId, wallToken) = await CreateAgentCameraAsync(admin, "Agent wall still");
        // A black square crosses a gray picture for 3 s of every 6 (off the picture the other 3); the wall never changes.
        const string crossing = "lavfi:color=c=0x808080:s=320x240:r=10[bg];color=c=black:s=40x40:r=10[sq];[bg][sq]overlay=x='if(lt(mod(t,6),3),-100,mod(t,3)*100)':y=100";
        await using (new RunningAgent(server.BaseUri,
            new AgentCamera("yard", yardToken, crossing, new CaptureSettings(10, 320, 240, 12), new MotionSettings()),
            new AgentCamera("wall", wallToken, "lavfi:color=c=0x808080:s=320x240:r=10", new CaptureSettings(10, 320, 240, 12), new MotionSettings())))
        {
            var yard = await Eventually.ValueAsync(() => admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{yardId}"),
                d => Incoming(d).SkipWhile(t => t != "MotionStart").Contains("MotionEnd"), TimeSpan.FromSeconds(30), "a MotionStart and then a MotionEnd");
            // Connected: "MotionEnd" first (the camera reports motion itself), then a start about 3 s in, and an end after the square left.
            var motion = Incoming(yard).Where(t => t.StartsWith("Motion", StringComparison.Ordinal)).ToList();
            Assert.Equal(["MotionEnd", "MotionStart", "MotionEnd"], motion.Take(3));
            var wall = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{wallId}");
            Assert.Equal(["MotionEnd"], Incoming(wall).Where(t => t.StartsWith("Motion", StringComparison.Ordinal)));
            Assert.True(wall.GetProperty("camera").GetProperty("counters").GetProperty("framesReceived").GetInt64() > 30);
        }

        static IEnumerable<string> Incoming(JsonElement detail) =>
            detail.GetProperty("log").EnumerateArray().Where(e => !e.GetProperty("outgoing").GetBoolean())
                .OrderBy(e => e.GetProperty("at").GetDateTimeOffset()).Select(e => e.GetProperty("text").GetString()!);
    }
}

/// <summary>The shipped program, run as a user runs it.</summary>
public class AgentProgramTests
{
    private static async Task<(int Exit, string Out, string Error)> RunAgentAsync(params string[] arguments)
    {
        // Built beside the tests (a project reference), run with the same dotnet as the tests.
        var dll = Path.Combine(AppContext.BaseDirectory, "nvr-agent.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task A_configuration_with_mistakes_starts_nothing_and_names_each_mistake()
    {
        var folder = TestPaths.NewTempFolder("agent-config");
        var path = Path.Combine(folder, "agent.json");
        await File.WriteAllTextAsync(path, """{ "server": "http://127.0.0.1:9", "cameras": [ { "name": "Garage", "source": "/dev/video0", "fps": 99 } ] }""");
        var (exit, _, error) = await RunAgentAsync("--config", path);
        Assert.Equal(2, exit);
        Assert.Contains("cameras[0] (Garage).token: missing", error);
        var (missingExit, _, missing) = await RunAgentAsync("--config", Path.Combine(folder, "nothing.json"));
        Assert.Equal(2, missingExit);
        Assert.Contains("No configuration at", missing);
    }

    [Fact]
    public async Task Discover_lists_the_capture_devices_or_says_there_are_none()
    {
        var (exit, output, _) = await RunAgentAsync("--discover");
        Assert.Equal(0, exit);
        if (Directory.GetFiles("/dev", "video*").Length == 0)
            Assert.StartsWith("No capture devices (/dev/video*) found.", output);
        else
            Assert.Contains("/dev/video0:", output);
    }

    [Fact]
    public async Task A_sigterm_stops_the_agent_cleanly()
    {
        var folder = TestPaths.NewTempFolder("agent-stop");
        var path = Path.Combine(folder, "agent.json");
        var port = FreePort.Next();
        await File.WriteAllTextAsync(path, $$"""{ "server": "http://127.0.0.1:{{port}}", "cameras": [ { "name": "Garage", "token": "nvr_nobody-listens", "source": "lavfi:testsrc2" } ] }""");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "nvr-agent.dll"), "--config", path]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        await Eventually.ValueAsync(() => Task.FromResult(output.ToString()), o => o.Contains("Garage: cannot reach", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the first attempt");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString()]))
            await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Garage: stopped after sending 0 frames", output.ToString());
    }
}
