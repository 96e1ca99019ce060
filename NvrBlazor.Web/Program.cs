using NvrBlazor.Web.Hosting;

// Everything is composed in Hosting/NvrApplication.cs; each capability folder brings its own services and endpoints.
await using var app = await NvrApplication.CreateAsync(args);
if (app is null)
    return 1;
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the tests can name the web assembly.</summary>
public partial class Program;
