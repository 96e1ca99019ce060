using Microsoft.AspNetCore.Components;

namespace NvrBlazor.Web.Shell;

public partial class Routes
{
    /// <summary>The theme the user chose, read from their cookie by App.razor for the first paint.</summary>
    [Parameter] public ThemeChoice Theme { get; set; }
}
