using Microsoft.AspNetCore.Components;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Live;

public partial class LiveTile
{
    [Parameter, EditorRequired] public Camera Camera { get; set; } = default!;
    [Parameter] public bool IsAdmin { get; set; }
    [Parameter] public bool Single { get; set; }
    [Parameter] public Action? Open { get; set; }
}
