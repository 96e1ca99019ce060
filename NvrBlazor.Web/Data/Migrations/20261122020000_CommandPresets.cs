using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Command presets, seeded once with the presets the Python server shipped (ESP32_PROTOCOL.md).</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261122020000_CommandPresets")]
    public partial class CommandPresets : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CommandPresets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Commands = table.Column<string>(type: "TEXT", maxLength: 127, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommandPresets", x => x.Id);
                });

            // Seeded here, not at every start: presets an admin deletes stay deleted.
            var defaults = NvrBlazor.Domain.Ingest.CommandPresetText.Defaults;
            for (var i = 0; i < defaults.Count; i++)
            {
                migrationBuilder.InsertData(
                    table: "CommandPresets",
                    columns: new[] { "Position", "Name", "Commands" },
                    columnTypes: new[] { "INTEGER", "TEXT", "TEXT" },
                    values: new object[] { i, defaults[i].Name, defaults[i].Commands });
            }
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "CommandPresets");
        }
    }
}
