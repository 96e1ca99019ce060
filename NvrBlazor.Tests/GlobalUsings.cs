// The web app's foundation folders, as the app itself uses them (NvrBlazor.Web/GlobalUsings.cs).
global using NvrBlazor.Web.Common;
global using NvrBlazor.Web.Data;
