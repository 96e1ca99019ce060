using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Per-camera recording settings (defaults: motion, auto source, 5 s pre-roll, 10 s post-roll, 300 s clips), the clip index and motion events.</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261122040000_Recording")]
    public partial class Recording : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "RecordingMode", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 1);
            migrationBuilder.AddColumn<int>(name: "MotionSource", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<int>(name: "MotionSensitivity", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 50);
            migrationBuilder.AddColumn<double>(name: "MotionMinAreaPercent", table: "Cameras", type: "REAL", nullable: false, defaultValue: 1.0);
            migrationBuilder.AddColumn<int>(name: "PreRollSeconds", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 5);
            migrationBuilder.AddColumn<int>(name: "PostRollSeconds", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 10);
            migrationBuilder.AddColumn<int>(name: "MaxClipSeconds", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 300);

            migrationBuilder.CreateTable(
                name: "Clips",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CameraId = table.Column<int>(type: "INTEGER", nullable: true),
                    CameraName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    End = table.Column<long>(type: "INTEGER", nullable: true),
                    DurationSeconds = table.Column<double>(type: "REAL", nullable: false),
                    FrameRate = table.Column<double>(type: "REAL", nullable: false),
                    Frames = table.Column<long>(type: "INTEGER", nullable: false),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ThumbnailPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Reason = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Clips", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MotionEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CameraId = table.Column<int>(type: "INTEGER", nullable: true),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    End = table.Column<long>(type: "INTEGER", nullable: true),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    PeakScore = table.Column<double>(type: "REAL", nullable: true),
                    ClipId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MotionEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(name: "IX_Clips_CameraId_Start", table: "Clips", columns: new[] { "CameraId", "Start" });
            migrationBuilder.CreateIndex(name: "IX_Clips_Start", table: "Clips", column: "Start");
            migrationBuilder.CreateIndex(name: "IX_Clips_State", table: "Clips", column: "State");
            migrationBuilder.CreateIndex(name: "IX_MotionEvents_CameraId_Start", table: "MotionEvents", columns: new[] { "CameraId", "Start" });
            migrationBuilder.CreateIndex(name: "IX_MotionEvents_ClipId", table: "MotionEvents", column: "ClipId");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Clips");
            migrationBuilder.DropTable(name: "MotionEvents");
            foreach (var column in new[] { "RecordingMode", "MotionSource", "MotionSensitivity", "MotionMinAreaPercent", "PreRollSeconds", "PostRollSeconds", "MaxClipSeconds" })
                migrationBuilder.DropColumn(name: column, table: "Cameras");
        }
    }
}
