using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NvrBlazor.Domain.Detection;
using NvrBlazor.Web.Motion;

namespace NvrBlazor.Web.Detection;

/// <summary>
/// A model file run by ONNX Runtime on one thread (two were slower on 2 cores: docs/detection.md). The input and
/// output tensors are this model's own arrays, bound once: a run allocates nothing of their size (NanoDet's outputs are
/// 1.7 MB). Not for two threads at once: the detector service gives each model one caller.
/// </summary>
public abstract class OnnxModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly RgbDecoder decoder = new();
    protected readonly float[] Input;
    private readonly float[][] outputs;
    private readonly OrtValue[] inputValue;
    private readonly OrtValue[] outputValues;
    private readonly RunOptions runOptions = new();

    protected OnnxModel(string path, int size, bool planar)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Warnings are about the model's layout (unused initializers the optimiser removes), nothing an operator acts on.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        session = new InferenceSession(path, options);
        inputNames = [session.InputNames.Single()];
        outputNames = [.. session.OutputNames.Order(StringComparer.Ordinal)];
        Size = size;
        Planar = planar;
        Input = new float[3 * size * size];
        inputValue = [OrtValue.CreateTensorValueFromMemory(Input, planar ? [1, 3, size, size] : [1, size, size, 3])];
        // The models' output shapes are fixed (batch 1); a dimension left open would be a different model.
        var shapes = outputNames.Select(name => session.OutputMetadata[name].Dimensions.Select(d => (long)Math.Max(d, 1)).ToArray()).ToArray();
        outputs = [.. shapes.Select(shape => new float[shape.Aggregate(1L, (a, b) => a * b)])];
        outputValues = [.. outputs.Select((values, i) => OrtValue.CreateTensorValueFromMemory(values, shapes[i]))];
    }

    public int Size { get; }
    private bool Planar { get; }

    /// <summary>How each input value is made from a byte (value * Multiply + Add), and what padding holds.</summary>
    protected abstract (float Multiply, float Add, float Pad) Normalisation { get; }

    /// <summary>Reads the named outputs (sorted by name) into detections in the picture's pixels.</summary>
    protected abstract List<DetectedObject> Decode(IReadOnlyList<ReadOnlyMemory<float>> outputs, Letterbox letterbox, float minScore);

    /// <summary>
    /// Finds objects in a JPEG, boxes in its own pixels; throws InvalidDataException naming the problem when the JPEG
    /// cannot be decoded.
    /// </summary>
    public List<DetectedObject> Detect(ReadOnlySpan<byte> jpeg, float minScore)
    {
        var picture = Decode(jpeg);
        var full = NvrBlazor.Domain.Ingest.JpegHeader.TryReadSize(jpeg) ?? (picture.Width, picture.Height);
        return ToFullSize(Detect(picture.Pixels.Span, picture.Width, picture.Height, minScore), full, picture.Width, picture.Height);
    }

    /// <summary>
    /// Boxes found in a decoded picture of <paramref name="width"/> x <paramref name="height"/> as boxes in the JPEG's own
    /// pixels: a picture more than twice the model's size is decoded at 1/2, 1/4 or 1/8 (a 1920x1080 frame at 480x270).
    /// </summary>
    public static List<DetectedObject> ToFullSize(List<DetectedObject> found, (int Width, int Height) full, int width, int height)
    {
        if (full.Width == width && full.Height == height)
            return found;
        float sx = (float)full.Width / width, sy = (float)full.Height / height;
        return [.. found.Select(d => d with { Box = new PixelBox(d.Box.X * sx, d.Box.Y * sy, d.Box.Width * sx, d.Box.Height * sy) })];
    }

    /// <summary>The JPEG as packed RGB (this model's buffer, valid until its next call); throws InvalidDataException naming the problem.</summary>
    public (ReadOnlyMemory<byte> Pixels, int Width, int Height) Decode(ReadOnlySpan<byte> jpeg) =>
        decoder.Decode(jpeg, Size, out var problem) ?? throw new InvalidDataException($"the picture could not be decoded: {problem}");

    /// <summary>Finds objects in packed RGB pixels.</summary>
    public List<DetectedObject> Detect(ReadOnlySpan<byte> rgb, int width, int height, float minScore)
    {
        var letterbox = Letterbox.For(width, height, Size);
        var (multiply, add, pad) = Normalisation;
        letterbox.Fill(rgb, Input, Size, Planar, multiply, add, pad);
        session.Run(runOptions, inputNames, inputValue, outputNames, outputValues);
        return Decode([.. outputs.Select(o => (ReadOnlyMemory<float>)o)], letterbox, minScore);
    }

    public void Dispose()
    {
        foreach (var value in outputValues.Concat(inputValue))
            value.Dispose();
        runOptions.Dispose();
        session.Dispose();
        decoder.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>NanoDet-g (80 COCO classes) converted by tools/models/nanodet_tfjs_to_onnx.py: RGB/255, planar 416x416.</summary>
public sealed class NanoDetModel(string path) : OnnxModel(path, NanoDetDecoder.InputSize, planar: true)
{
    public const string FileName = "nanodet.onnx";

    protected override (float Multiply, float Add, float Pad) Normalisation => (1 / 255f, 0, 0);

    // Outputs sorted by name: Identity, Identity_1, Identity_2 (scores, strides 8/16/32), Identity_3..5 (boxes).
    protected override List<DetectedObject> Decode(IReadOnlyList<ReadOnlyMemory<float>> outputs, Letterbox letterbox, float minScore) =>
        NanoDetDecoder.Decode([outputs[0], outputs[1], outputs[2]], [outputs[3], outputs[4], outputs[5]], letterbox, minScore);
}

/// <summary>MediaPipe BlazeFace, back-camera model as shipped: values in [-1, 1], interleaved 256x256. Meant for person crops.</summary>
public sealed class BlazeFaceModel(string path) : OnnxModel(path, BlazeFaceDecoder.InputSize, planar: false)
{
    public const string FileName = "blazeface-back.onnx";

    protected override (float Multiply, float Add, float Pad) Normalisation => (2 / 255f, -1, 0);

    /// <summary>
    /// Faces of a person: BlazeFace looks at the top half of the person's box (where a head is, and large
    /// enough in its 256x256 input; the whole frame shrinks a face below what it finds). Boxes in the picture's pixels.
    /// </summary>
    public List<DetectedObject> DetectInPerson(ReadOnlySpan<byte> rgb, int width, int height, PixelBox person, float minScore)
    {
        var top = person with { Height = person.Height / 2 };
        if (RgbCrop.Cut(rgb, width, height, top) is not { } crop)
            return [];
        return [.. Detect(crop.Rgb, crop.Width, crop.Height, minScore).Select(face => face with { Box = crop.ToPicture(face.Box) })];
    }

    // Outputs sorted by name: Identity:0 and Identity_1:0 (scores, 16x16 and 8x8 grids), Identity_2:0 and Identity_3:0 (boxes).
    protected override List<DetectedObject> Decode(IReadOnlyList<ReadOnlyMemory<float>> outputs, Letterbox letterbox, float minScore) =>
        BlazeFaceDecoder.Decode([outputs[0], outputs[1]], [outputs[2], outputs[3]], letterbox, minScore);
}
