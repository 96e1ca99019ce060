using NvrBlazor.Domain.Agent;

namespace NvrBlazor.Tests.Domain.Agent;

public class JpegStreamSplitterTests
{
    /// <summary>A minimal JPEG's structure: SOI, an APP segment (optionally holding an EXIF-like thumbnail with its own EOI), SOS, entropy data with stuffed FF 00 and a restart marker, EOI.</summary>
    private static byte[] Picture(byte tag, bool thumbnail = false)
    {
        var app = thumbnail ? new byte[] { 0xFF, 0xD8, 0x01, 0x02, 0xFF, 0xD9 } : [tag];
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE1, 0x00, (byte)(2 + app.Length) };
        bytes.AddRange(app);
        bytes.AddRange([0xFF, 0xDA, 0x00, 0x03, 0x01]); // SOS header (length 3 incl. itself)
        bytes.AddRange([tag, 0xFF, 0x00, 0x12, 0xFF, 0xD0, 0x34, tag]); // entropy data: FF 00 stuffing, RST0
        bytes.AddRange([0xFF, 0xD9]);
        return [.. bytes];
    }

    [Fact]
    public void Pictures_fed_in_any_pieces_come_out_whole_and_in_order()
    {
        var stream = Enumerable.Range(1, 20).SelectMany(i => Picture((byte)i)).ToArray();
        foreach (var piece in new[] { 1, 2, 3, 7, 64, stream.Length })
        {
            var splitter = new JpegStreamSplitter();
            var found = new List<byte[]>();
            for (var at = 0; at < stream.Length; at += piece)
                found.AddRange(splitter.Add(stream.AsSpan(at, Math.Min(piece, stream.Length - at))));
            Assert.Equal(20, found.Count);
            for (var i = 0; i < 20; i++)
                Assert.Equal(Picture((byte)(i + 1)), found[i]);
            Assert.Equal(0, splitter.SkippedBytes);
        }
    }

    [Fact]
    public void An_end_marker_inside_a_thumbnail_does_not_cut_the_picture()
    {
        var picture = Picture(9, thumbnail: true);
        var found = new JpegStreamSplitter().Add(picture);
        Assert.Equal(picture, Assert.Single(found));
    }

    [Fact]
    public void Garbage_between_pictures_is_skipped_and_counted()
    {
        byte[] garbage = [0x00, 0x11, 0xFF, 0x22, 0x33];
        var stream = garbage.Concat(Picture(1)).Concat(garbage).Concat(Picture(2)).ToArray();
        var splitter = new JpegStreamSplitter();
        var found = splitter.Add(stream);
        Assert.Equal([Picture(1), Picture(2)], found);
        Assert.Equal(2 * garbage.Length, splitter.SkippedBytes);
    }

    [Fact]
    public void A_picture_that_never_ends_is_dropped_at_the_limit_and_the_next_one_is_found()
    {
        var splitter = new JpegStreamSplitter(maxPictureBytes: 1000);
        var endless = new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02 }.Concat(new byte[2000]).ToArray();
        Assert.Empty(splitter.Add(endless));
        Assert.Equal(endless.Length, splitter.SkippedBytes);
        Assert.Equal(Picture(5), Assert.Single(splitter.Add(Picture(5))));
    }

    [Fact]
    public async Task Real_ffmpeg_mjpeg_output_splits_into_its_pictures()
    {
        var folder = Support.TestPaths.NewTempFolder("mjpeg");
        var output = Path.Combine(folder, "out.mjpeg");
        await Support.Media.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-frames:v", "12", "-q:v", "5", "-f", "mjpeg", output);
        var splitter = new JpegStreamSplitter();
        var pictures = splitter.Add(await File.ReadAllBytesAsync(output));
        Assert.Equal(12, pictures.Count);
        Assert.All(pictures, p => Assert.Equal((320, 240), NvrBlazor.Domain.Ingest.JpegHeader.TryReadSize(p)));
        Assert.Equal(0, splitter.SkippedBytes);
    }
}
