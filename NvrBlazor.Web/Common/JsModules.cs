using Microsoft.JSInterop;

namespace NvrBlazor.Web.Common;

/// <summary>How a component lets go of its JS module: call its clean-up (listeners, timers, streams), then dispose it.</summary>
public static class JsModules
{
    /// <summary>Safe when the module was never loaded, and when the circuit is already gone (the browser tab closed).</summary>
    public static async ValueTask ReleaseAsync(this IJSObjectReference? module, string? cleanUp = null)
    {
        if (module is null)
            return;
        try
        {
            if (cleanUp is not null)
                await module.InvokeVoidAsync(cleanUp);
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
