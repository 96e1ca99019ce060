using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Per camera: whether the object detector also looks for faces on the people it finds (off).</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261129220000_DetectFaces")]
    public partial class DetectFaces : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<bool>(name: "DetectFaces", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: false);

        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "DetectFaces", table: "Cameras");
    }
}
