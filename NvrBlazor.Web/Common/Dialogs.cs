using MudBlazor;

namespace NvrBlazor.Web.Common;

/// <summary>The two questions pages ask: "really?" (true only for the named action) and "note this" (one OK).</summary>
public static class Dialogs
{
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string action) =>
        await dialogs.ShowMessageBoxAsync(title, message, yesText: action, cancelText: "Cancel") == true;

    public static async Task TellAsync(this IDialogService dialogs, string title, string message) =>
        await dialogs.ShowMessageBoxAsync(title, message, yesText: "OK");
}

/// <summary>How pages report the outcome of an action: a success fades, a refusal stays until read.</summary>
public static class Snackbars
{
    public static void Say(this ISnackbar snackbar, bool ok, string text) =>
        snackbar.Add(text, ok ? Severity.Success : Severity.Error, options =>
        {
            options.VisibleStateDuration = ok ? 4000 : 10000;
            options.ShowCloseIcon = true;
        });
}
