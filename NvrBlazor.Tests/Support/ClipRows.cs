using Microsoft.Data.Sqlite;

namespace NvrBlazor.Tests.Support;

/// <summary>The server's clip index read straight from its SQLite file (read-only), as an operator with sqlite3 would.</summary>
public static class ClipRows
{
    public sealed record Row(long Id, int? CameraId, string CameraName, DateTimeOffset Start, double DurationSeconds, double FrameRate,
        long Frames, long Bytes, string Path, string? ThumbnailPath, int Reason, int State, string? Error);

    public sealed record MotionRow(long Id, int? CameraId, int Source, double? PeakScore, long? ClipId, DateTimeOffset Start, DateTimeOffset? End, string? Labels = null);

    public const int Complete = 1, Failed = 2, Recording = 0;
    public const int Motion = 0, Manual = 1;

    public static async Task<List<Row>> ClipsAsync(NvrServer server, int? cameraId = null)
    {
        await using var connection = Open(server);
        var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, CameraId, CameraName, Start, DurationSeconds, FrameRate, Frames, Bytes, Path, ThumbnailPath, Reason, State, Error FROM Clips"
            + (cameraId is null ? "" : " WHERE CameraId = $camera") + " ORDER BY Id";
        command.Parameters.AddWithValue("$camera", cameraId ?? 0);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt64(6),
                reader.GetInt64(7), reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetInt32(10), reader.GetInt32(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        return rows;
    }

    /// <summary>A camera's motion events, or every camera's (deleted ones' included) without <paramref name="cameraId"/>.</summary>
    public static async Task<List<MotionRow>> MotionEventsAsync(NvrServer server, int? cameraId = null)
    {
        await using var connection = Open(server);
        var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, CameraId, Source, PeakScore, ClipId, Start, End, Labels FROM MotionEvents"
            + (cameraId is null ? "" : " WHERE CameraId = $camera") + " ORDER BY Id";
        command.Parameters.AddWithValue("$camera", cameraId ?? 0);
        var rows = new List<MotionRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new MotionRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        return rows;
    }

    private static SqliteConnection Open(NvrServer server)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataPath, "nvr.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
