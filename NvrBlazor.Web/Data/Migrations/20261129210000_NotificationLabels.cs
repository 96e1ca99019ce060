using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NvrBlazor.Web.Data.Migrations
{
    /// <summary>A notification channel may be limited to what the object detector saw ("person,car"; null: any).</summary>
    [DbContext(typeof(NvrDbContext))]
    [Migration("20261129210000_NotificationLabels")]
    public partial class NotificationLabels : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "Labels", table: "NotificationChannels", type: "TEXT", maxLength: 400, nullable: true);

        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "Labels", table: "NotificationChannels");
    }
}
