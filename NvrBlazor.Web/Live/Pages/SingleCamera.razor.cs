using Microsoft.AspNetCore.Components;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Live.Pages;

public partial class SingleCamera
{
    [Parameter] public int Id { get; set; }
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    private Camera? camera;
    private ElementReference single;

    protected override async Task OnParametersSetAsync()
    {
        await LoadCamerasAsync();
        camera = Cameras.FirstOrDefault(c => c.Id == Id);
    }
}
