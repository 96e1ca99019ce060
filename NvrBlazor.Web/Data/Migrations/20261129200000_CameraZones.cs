using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Masks and zones drawn on a camera's picture: where motion and objects count (null: everywhere).</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261129200000_CameraZones")]
    public partial class CameraZones : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "Zones", table: "Cameras", type: "TEXT", maxLength: 40000, nullable: true);

        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "Zones", table: "Cameras");
    }
}
