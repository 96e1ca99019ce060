using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Tests.Integration;

public class DatabaseSchemaTests
{
    [Fact]
    public async Task The_hand_written_migrations_match_the_model_and_create_the_user_columns()
    {
        await using var server = new NvrServer();
        await using var app = await InProcessApp.BuildAsync(server);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(),
            "The EF model differs from Data/Migrations: write a migration (by hand, see README design notes) and update the snapshot.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataPath, "nvr.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('AspNetUsers')";
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                columns.Add(reader.GetString(0));
        Assert.Contains("MustChangePassword", columns);
        Assert.Contains("LastSignInAt", columns);
        Assert.Contains("CreatedAt", columns);

        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
