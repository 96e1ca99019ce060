using System.Text;
using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class Esp32FrameParserTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x31, 0x32, 0x33, 0xFF, 0xD9];

    private static byte[] Frame(byte[] jpeg, string digits) => [.. jpeg, .. Encoding.ASCII.GetBytes(digits)];

    [Fact]
    public void A_frame_splits_into_the_jpeg_and_its_ten_digit_capture_time_without_copying()
    {
        var message = Frame(Jpeg, "1732233600");
        var frame = Esp32FrameParser.Parse(message);
        Assert.Equal(FrameProblem.None, frame.Problem);
        Assert.Equal(1732233600_000, frame.CameraTimeMs);
        Assert.Equal(Jpeg, frame.Jpeg.ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame.Jpeg, out var segment));
        Assert.Same(message, segment.Array);
    }

    [Fact]
    public void Digits_inside_the_jpeg_before_its_end_marker_are_not_taken_for_the_time()
    {
        // "123" sits just before FF D9 inside the JPEG; the time is only what follows FF D9.
        var frame = Esp32FrameParser.Parse(Frame(Jpeg, "42"));
        Assert.Equal(42_000, frame.CameraTimeMs);
        Assert.Equal(Jpeg.Length, frame.Jpeg.Length);
    }

    [Fact]
    public void A_clockless_camera_sends_any_number_of_digits_and_an_absurd_one_gives_no_time()
    {
        Assert.Equal(7_000, Esp32FrameParser.Parse(Frame(Jpeg, "7")).CameraTimeMs);
        var huge = Esp32FrameParser.Parse(Frame(Jpeg, new string('9', 40)));
        Assert.True(huge.IsUsable);
        Assert.Null(huge.CameraTimeMs);
    }

    [Fact]
    public void A_jpeg_without_timestamp_is_usable_and_says_so()
    {
        var frame = Esp32FrameParser.Parse(Jpeg);
        Assert.Equal(FrameProblem.NoTimestamp, frame.Problem);
        Assert.True(frame.IsUsable);
        Assert.Equal(Jpeg.Length, frame.Jpeg.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x31 }, FrameProblem.NotJpeg)]
    [InlineData(new byte[] { 0xFF, 0xD8 }, FrameProblem.NotJpeg)]
    [InlineData(new byte[] { }, FrameProblem.NotJpeg)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0x01, 0x02, 0x31, 0x32 }, FrameProblem.NoEndOfImage)]
    public void Bytes_that_are_not_a_whole_jpeg_are_rejected_with_the_reason(byte[] bytes, FrameProblem problem)
    {
        var frame = Esp32FrameParser.Parse(bytes);
        Assert.Equal(problem, frame.Problem);
        Assert.False(frame.IsUsable);
    }

    [Fact]
    public void Random_bytes_never_throw_and_a_usable_frame_is_always_a_jpeg_inside_the_message()
    {
        var random = new Random(9090);
        for (var i = 0; i < 50_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length > 2 && random.Next(2) == 0)
            {
                bytes[0] = 0xFF;
                bytes[1] = 0xD8;
            }
            if (bytes.Length > 6 && random.Next(2) == 0)
            {
                var at = random.Next(2, bytes.Length - 1);
                bytes[at] = 0xFF;
                bytes[at + 1] = 0xD9;
                for (var d = at + 2; d < bytes.Length; d++)
                    bytes[d] = (byte)('0' + random.Next(10));
            }
            var frame = Esp32FrameParser.Parse(bytes);
            if (!frame.IsUsable)
                continue;
            var jpeg = frame.Jpeg.Span;
            Assert.True(jpeg.Length >= 4 && jpeg.Length <= bytes.Length);
            Assert.Equal(0xFF, jpeg[0]);
            Assert.Equal(0xD8, jpeg[1]);
            Assert.Equal(0xFF, jpeg[^2]);
            Assert.Equal(0xD9, jpeg[^1]);
            Assert.True(bytes.AsSpan(jpeg.Length).ToArray().All(b => b is >= (byte)'0' and <= (byte)'9'));
        }
    }

    [Fact]
    public void An_nvr_frame_is_an_8_byte_big_endian_millisecond_time_then_the_jpeg()
    {
        byte[] message = [0x00, 0x00, 0x01, 0x93, 0x4F, 0x5B, 0x2C, 0x00, .. Jpeg];
        var frame = NvrFrameParser.Parse(message);
        Assert.Equal(FrameProblem.None, frame.Problem);
        Assert.Equal(0x0000_0193_4F5B_2C00L, frame.CameraTimeMs);
        Assert.Equal(Jpeg, frame.Jpeg.ToArray());
    }

    [Fact]
    public void An_nvr_frame_without_header_or_jpeg_is_rejected_and_random_bytes_never_throw()
    {
        Assert.Equal(FrameProblem.NotJpeg, NvrFrameParser.Parse(Jpeg).Problem);
        Assert.Equal(FrameProblem.NoTimestamp, NvrFrameParser.Parse((byte[])[0, 0, 0, 0, 0, 0, 0, 0, .. Jpeg]).Problem);
        var random = new Random(443);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            var frame = NvrFrameParser.Parse(bytes);
            if (frame.IsUsable)
                Assert.Equal(bytes.Length - 8, frame.Jpeg.Length);
        }
    }
}
