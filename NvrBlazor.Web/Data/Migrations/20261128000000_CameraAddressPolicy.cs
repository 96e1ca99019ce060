using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Where an approved ESP32 camera may reconnect from, and why a camera is pending again.</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261128000000_CameraAddressPolicy")]
    public partial class CameraAddressPolicy : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "AddressPolicy", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<string>(name: "PendingReason", table: "Cameras", type: "TEXT", maxLength: 200, nullable: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "PendingReason", table: "Cameras");
            migrationBuilder.DropColumn(name: "AddressPolicy", table: "Cameras");
        }
    }
}
