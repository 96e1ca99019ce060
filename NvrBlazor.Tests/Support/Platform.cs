// The suite runs where NvrBlazor runs: Linux (Debian/Ubuntu, the image). File modes are part of what it checks.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
