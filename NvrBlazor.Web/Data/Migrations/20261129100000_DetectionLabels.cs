using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>
    /// What the object detector saw: labels on clips, and labels, best score and box on motion events; and per camera the
    /// labels that count and their minimum score (the Detected recording mode).
    /// </summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261129100000_DetectionLabels")]
    public partial class DetectionLabels : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Labels", table: "Clips", type: "TEXT", maxLength: 400, nullable: true);
            migrationBuilder.AddColumn<string>(name: "Labels", table: "MotionEvents", type: "TEXT", maxLength: 400, nullable: true);
            migrationBuilder.AddColumn<double>(name: "BestScore", table: "MotionEvents", type: "REAL", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Box", table: "MotionEvents", type: "TEXT", maxLength: 60, nullable: true);
            migrationBuilder.AddColumn<string>(name: "DetectLabels", table: "Cameras", type: "TEXT", maxLength: 400, nullable: false, defaultValue: "person");
            migrationBuilder.AddColumn<double>(name: "DetectMinScore", table: "Cameras", type: "REAL", nullable: false, defaultValue: 0.5);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "DetectMinScore", table: "Cameras");
            migrationBuilder.DropColumn(name: "DetectLabels", table: "Cameras");
            migrationBuilder.DropColumn(name: "Box", table: "MotionEvents");
            migrationBuilder.DropColumn(name: "BestScore", table: "MotionEvents");
            migrationBuilder.DropColumn(name: "Labels", table: "MotionEvents");
            migrationBuilder.DropColumn(name: "Labels", table: "Clips");
        }
    }
}
