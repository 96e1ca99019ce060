using NvrBlazor.Domain.Ingest;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Domain.Ingest;

public class JpegHeaderTests
{
    [Theory]
    [InlineData(320, 240)]
    [InlineData(640, 480)]
    [InlineData(1280, 720)]
    public async Task The_size_of_a_real_jpeg_is_read_from_its_header(int width, int height)
    {
        var jpeg = await TestJpeg.CreateAsync(width, height);
        Assert.Equal((width, height), JpegHeader.TryReadSize(jpeg));
    }

    [Fact]
    public void Truncated_or_random_bytes_give_no_size_and_never_throw()
    {
        Assert.Null(JpegHeader.TryReadSize([0xFF, 0xD8, 0xFF, 0xC0, 0x00]));
        Assert.Null(JpegHeader.TryReadSize(FakeEsp32Camera.SyntheticJpeg(500, 1)));
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            if (bytes.Length > 2) { bytes[0] = 0xFF; bytes[1] = 0xD8; }
            JpegHeader.TryReadSize(bytes);
        }
    }
}
