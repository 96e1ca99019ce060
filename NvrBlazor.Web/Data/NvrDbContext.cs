using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Web.Data;

/// <summary>The one SQLite database (data/nvr.db). Its schema is created and upgraded by the migrations in Data/Migrations at startup.</summary>
public sealed class NvrDbContext(DbContextOptions<NvrDbContext> options) : IdentityDbContext<NvrUser>(options)
{
}
