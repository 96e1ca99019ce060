using MudBlazor;

namespace NvrBlazor.Web.Shell;

/// <summary>
/// The one theme of the app, light and dark: colours and type in one place. The font is the system's own
/// (no font file to ship, no request to another host); monospace for tokens and logs likewise.
/// </summary>
public static class NvrTheme
{
    private static readonly string[] Fonts = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Liberation Sans", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#00838f",
            Tertiary = "#6a1b9a",
            Info = "#0277bd",
            Success = "#2e7d32",
            Warning = "#ef6c00",
            Error = "#c62828",
            AppbarBackground = "#0d47a1",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#64b5f6",
            Secondary = "#4dd0e1",
            Tertiary = "#ce93d8",
            Info = "#4fc3f7",
            Success = "#66bb6a",
            Warning = "#ffa726",
            Error = "#ef5350",
            AppbarBackground = "#1a1d24",
            Background = "#121418",
            Surface = "#1c1f26",
            DrawerBackground = "#171a20",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H1 = new H1Typography { FontFamily = Fonts },
            H2 = new H2Typography { FontFamily = Fonts },
            H3 = new H3Typography { FontFamily = Fonts },
            H4 = new H4Typography { FontFamily = Fonts },
            H5 = new H5Typography { FontFamily = Fonts, FontSize = "1.5rem", FontWeight = "500" },
            H6 = new H6Typography { FontFamily = Fonts, FontSize = "1.15rem", FontWeight = "500" },
            Button = new ButtonTypography { FontFamily = Fonts, TextTransform = "none" },
            Body1 = new Body1Typography { FontFamily = Fonts },
            Body2 = new Body2Typography { FontFamily = Fonts },
            Caption = new CaptionTypography { FontFamily = Fonts },
            Overline = new OverlineTypography { FontFamily = Fonts },
            Subtitle1 = new Subtitle1Typography { FontFamily = Fonts },
            Subtitle2 = new Subtitle2Typography { FontFamily = Fonts },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
