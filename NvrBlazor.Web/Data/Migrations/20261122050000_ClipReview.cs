using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>Clip review: a clip can be protected from retention; clip actions (view, download, delete, protect) name their clip in the audit log.</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261122050000_ClipReview")]
    public partial class ClipReview : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(name: "Protected", table: "Clips", type: "INTEGER", nullable: false, defaultValue: false);
            migrationBuilder.AddColumn<long>(name: "ClipId", table: "AuditEntries", type: "INTEGER", nullable: true);
            migrationBuilder.CreateIndex(name: "IX_AuditEntries_ClipId", table: "AuditEntries", column: "ClipId");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_AuditEntries_ClipId", table: "AuditEntries");
            migrationBuilder.DropColumn(name: "ClipId", table: "AuditEntries");
            migrationBuilder.DropColumn(name: "Protected", table: "Clips");
        }
    }
}
