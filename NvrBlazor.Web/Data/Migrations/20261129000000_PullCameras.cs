using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Cameras the server pulls (MJPEG, snapshot, RTSP): source, rate, width and protected credentials.</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261129000000_PullCameras")]
    public partial class PullCameras : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "PullKind", table: "Cameras", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<string>(name: "PullUrl", table: "Cameras", type: "TEXT", maxLength: 2000, nullable: true);
            migrationBuilder.AddColumn<double>(name: "PullFps", table: "Cameras", type: "REAL", nullable: true);
            migrationBuilder.AddColumn<int>(name: "PullWidth", table: "Cameras", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<string>(name: "PullCredentials", table: "Cameras", type: "TEXT", maxLength: 2000, nullable: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "PullCredentials", table: "Cameras");
            migrationBuilder.DropColumn(name: "PullWidth", table: "Cameras");
            migrationBuilder.DropColumn(name: "PullFps", table: "Cameras");
            migrationBuilder.DropColumn(name: "PullUrl", table: "Cameras");
            migrationBuilder.DropColumn(name: "PullKind", table: "Cameras");
        }
    }
}
