using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Retention: each camera's keep-days, size cap and what to do at a limit; the history of housekeeping job runs.</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261122060000_Retention")]
    public partial class Retention : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "RetentionDays", table: "Cameras", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<double>(name: "RetentionMaxGb", table: "Cameras", type: "REAL", nullable: true);
            migrationBuilder.AddColumn<int>(name: "OnStorageLimit", table: "Cameras", type: "INTEGER", nullable: false, defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "JobRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                    Job = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Trigger = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Started = table.Column<long>(type: "INTEGER", nullable: false),
                    Ended = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    ClipsDeleted = table.Column<int>(type: "INTEGER", nullable: false),
                    BytesFreed = table.Column<long>(type: "INTEGER", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                },
                constraints: table => table.PrimaryKey("PK_JobRuns", x => x.Id));
            migrationBuilder.CreateIndex(name: "IX_JobRuns_Job_Id", table: "JobRuns", columns: ["Job", "Id"]);
            migrationBuilder.CreateIndex(name: "IX_JobRuns_Started", table: "JobRuns", column: "Started");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "JobRuns");
            migrationBuilder.DropColumn(name: "OnStorageLimit", table: "Cameras");
            migrationBuilder.DropColumn(name: "RetentionMaxGb", table: "Cameras");
            migrationBuilder.DropColumn(name: "RetentionDays", table: "Cameras");
        }
    }
}
