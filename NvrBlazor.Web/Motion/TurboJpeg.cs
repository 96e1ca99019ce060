using System.Reflection;
using System.Runtime.InteropServices;

namespace NvrBlazor.Web.Motion;

/// <summary>
/// Scaled grayscale JPEG decoding with libjpeg-turbo (Debian's libturbojpeg0) through P/Invoke. The
/// decoder picks the DCT scaling, so a 1/8 decode never builds the full-size picture: it is what makes
/// server-side motion detection cheap. The library is optional: without it the app runs and server
/// motion detection is off (health says why).
/// </summary>
public static class TurboJpeg
{
    /// <summary>The name the imports below use; resolved to Nvr:Motion:JpegLibrary (default libturbojpeg.so.0).</summary>
    private const string Library = "nvr-turbojpeg";
    private static readonly Lock Gate = new();
    private static string? loadedPath;
    private static IntPtr handle;
    private static string? problem;

    /// <summary>Loads the library once per process; later calls report the first outcome.</summary>
    public static bool TryLoad(string path, out string? why)
    {
        lock (Gate)
        {
            if (loadedPath is null)
            {
                loadedPath = path;
                if (NativeLibrary.TryLoad(path, Assembly.GetExecutingAssembly(), null, out handle) ||
                    NativeLibrary.TryLoad(path, out handle))
                {
                    NativeLibrary.SetDllImportResolver(Assembly.GetExecutingAssembly(),
                        (name, _, _) => name == Library ? handle : IntPtr.Zero);
                }
                else
                {
                    problem = $"the JPEG library '{path}' could not be loaded (install it: apt-get install libturbojpeg0, or set Nvr:Motion:JpegLibrary)";
                }
            }
            why = problem;
            return problem is null;
        }
    }

    internal const int PixelFormatRgb = 0;
    internal const int PixelFormatGray = 6;
    internal const int FlagFastDct = 2048;

    [DllImport(Library, EntryPoint = "tjInitDecompress")]
    internal static extern IntPtr InitDecompress();

    [DllImport(Library, EntryPoint = "tjDestroy")]
    internal static extern int Destroy(IntPtr decompressor);

    [DllImport(Library, EntryPoint = "tjDecompressHeader3")]
    internal static extern int DecompressHeader(IntPtr decompressor, ref byte jpeg, nuint jpegSize, out int width, out int height, out int subsampling, out int colorspace);

    [DllImport(Library, EntryPoint = "tjDecompress2")]
    internal static extern int Decompress(IntPtr decompressor, ref byte jpeg, nuint jpegSize, ref byte destination, int width, int pitch, int height, int pixelFormat, int flags);

    [DllImport(Library, EntryPoint = "tjGetErrorStr2")]
    internal static extern IntPtr ErrorText(IntPtr decompressor);

    internal const int Subsampling420 = 2;

    [DllImport(Library, EntryPoint = "tjInitCompress")]
    internal static extern IntPtr InitCompress();

    [DllImport(Library, EntryPoint = "tjCompress2")]
    internal static extern int Compress(IntPtr compressor, ref byte source, int width, int pitch, int height, int pixelFormat,
        ref IntPtr jpeg, ref nuint jpegSize, int subsampling, int quality, int flags);

    [DllImport(Library, EntryPoint = "tjFree")]
    internal static extern void Free(IntPtr buffer);

    /// <summary>Packed RGB as a JPEG (4:2:0), or null and the reason.</summary>
    public static byte[]? EncodeRgb(ReadOnlySpan<byte> rgb, int width, int height, int quality, out string? problem)
    {
        problem = null;
        var compressor = InitCompress();
        var jpeg = IntPtr.Zero;
        try
        {
            nuint size = 0;
            if (Compress(compressor, ref MemoryMarshal.GetReference(rgb), width, width * 3, height, PixelFormatRgb, ref jpeg, ref size, Subsampling420, quality, FlagFastDct) != 0)
            {
                problem = Marshal.PtrToStringUTF8(ErrorText(compressor)) ?? "unknown libjpeg-turbo error";
                return null;
            }
            var bytes = new byte[(int)size];
            Marshal.Copy(jpeg, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            if (jpeg != IntPtr.Zero)
                Free(jpeg);
            Destroy(compressor);
        }
    }
}

/// <summary>
/// One camera's decoder (a libjpeg-turbo handle is not for two threads at once) and its reused output buffer:
/// 8-bit gray for motion (<see cref="GrayscaleDecoder"/>) or packed RGB for object detection (<see cref="RgbDecoder"/>).
/// </summary>
public abstract class JpegDecoder(int pixelFormat, int bytesPerPixel, int smallestScale) : IDisposable
{
    private IntPtr decompressor = TurboJpeg.InitDecompress();
    private byte[] buffer = [];

    /// <summary>
    /// Decodes <paramref name="jpeg"/> at the smallest scale of 1/8, 1/4, 1/2 (or 1, for RGB) that keeps at least
    /// <paramref name="minWidth"/> pixels across (a VGA frame in gray: 80x60 at 1/8; gray is never full size).
    /// Returns null and the reason when the JPEG is unreadable or damaged (a half frame would look like motion).
    /// </summary>
    public (ReadOnlyMemory<byte> Pixels, int Width, int Height)? Decode(ReadOnlySpan<byte> jpeg, int minWidth, out string? problem)
    {
        ObjectDisposedException.ThrowIf(decompressor == IntPtr.Zero, this);
        problem = null;
        if (jpeg.IsEmpty)
        {
            problem = "empty frame";
            return null;
        }
        ref var first = ref MemoryMarshal.GetReference(jpeg);
        if (TurboJpeg.DecompressHeader(decompressor, ref first, (nuint)jpeg.Length, out var width, out var height, out _, out _) != 0)
        {
            problem = Error();
            return null;
        }
        if (width <= 0 || height <= 0)
        {
            // libjpeg-turbo answers some truncated headers without an error and without a size.
            problem = $"the JPEG header gives no picture size ({width}x{height})";
            return null;
        }
        var scale = 8;
        while (scale > smallestScale && width / scale < minWidth)
            scale /= 2;
        // TJSCALED: the size libjpeg-turbo produces for a 1/scale decode.
        var scaledWidth = (width + scale - 1) / scale;
        var scaledHeight = (height + scale - 1) / scale;
        var bytes = scaledWidth * scaledHeight * bytesPerPixel;
        if (buffer.Length < bytes)
            buffer = new byte[bytes];
        if (TurboJpeg.Decompress(decompressor, ref first, (nuint)jpeg.Length, ref buffer[0], scaledWidth, scaledWidth * bytesPerPixel, scaledHeight,
                pixelFormat, TurboJpeg.FlagFastDct) != 0)
        {
            problem = Error();
            return null;
        }
        return (buffer.AsMemory(0, bytes), scaledWidth, scaledHeight);
    }

    private string Error() => Marshal.PtrToStringUTF8(TurboJpeg.ErrorText(decompressor)) ?? "unknown libjpeg-turbo error";

    public void Dispose()
    {
        if (decompressor != IntPtr.Zero)
            TurboJpeg.Destroy(decompressor);
        decompressor = IntPtr.Zero;
        GC.SuppressFinalize(this);
    }
}

/// <summary>8-bit gray at 1/8, 1/4 or 1/2 scale: what the motion detector compares.</summary>
public sealed class GrayscaleDecoder() : JpegDecoder(TurboJpeg.PixelFormatGray, 1, 2);

/// <summary>Packed RGB (3 bytes a pixel), full size unless the picture is more than twice as wide as asked.</summary>
public sealed class RgbDecoder() : JpegDecoder(TurboJpeg.PixelFormatRgb, 3, 1);
