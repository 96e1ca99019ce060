using NvrBlazor.Domain.Agent;

namespace NvrBlazor.Tests.Domain.Agent;

public class AgentConfigTests
{
    [Fact]
    public void A_good_file_gives_the_cameras_with_defaults_and_the_ingest_address()
    {
        var (config, problems) = AgentConfig.Parse("""
            { // comments are allowed
              "server": "https://nvr.example.org:9443/",
              "cameras": [
                { "name": "Garage", "token": "nvr_abcdefghijkl", "source": "/dev/video0", "inputOptions": "-input_format mjpeg" },
                { "name": "Gate", "token": "nvr_other", "source": "rtsp://cam/1", "size": "320x240", "fps": 5, "quality": 20, "motion": true, "sensitivity": 70 },
              ]
            }
            """);
        Assert.Empty(problems);
        Assert.Equal(new CaptureSettings(10, 640, 480, 12), config!.Cameras[0].Capture);
        Assert.Equal(new CaptureSettings(5, 320, 240, 20), config.Cameras[1].Capture);
        Assert.Null(config.Cameras[0].Motion);
        Assert.Equal("-input_format mjpeg", config.Cameras[0].InputOptions);
        Assert.Equal(70, config.Cameras[1].Motion!.Sensitivity);
        Assert.Equal("wss://nvr.example.org:9443/ingest?token=nvr_abcdefghijkl", config.IngestUri(config.Cameras[0].Token).ToString());
        Assert.Equal("ws://10.0.0.2:9090/ingest?token=nvr_x", AgentConfig.Parse("""{"server":"http://10.0.0.2:9090","cameras":[{"name":"a","token":"nvr_x","source":"s"}]}""").Config!.IngestUri("nvr_x").ToString());
        Assert.Equal("nvr_abcd…", config.Cameras[0].TokenHint);
    }

    [Fact]
    public void Every_mistake_is_named_with_where_it_is()
    {
        var (config, problems) = AgentConfig.Parse("""
            { "server": "ftp://x", "cameras": [
                { "name": "A", "source": "/dev/video0" },
                { "name": "B", "token": "t", "source": "s", "size": "big", "fps": "ten" },
                { "name": "C", "token": "u", "source": "s", "fps": 100, "motion": "yes" },
                { "name": "F", "token": "w", "source": "s", "motion": true, "sensitivity": 0 },
                { "name": "D", "token": "v", "source": "s" }, { "name": "E", "token": "v", "source": "s" } ] }
            """);
        Assert.Null(config);
        Assert.Contains(problems, p => p.StartsWith("server: \"ftp://x\" is not", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cameras[0] (A).token: missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cameras[1] (B).size: \"big\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cameras[1] (B).fps: must be a whole number", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cameras[2] (C): fps must be 1 to 30", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("D and E share one token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cameras[2] (C).motion: must be true or false", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cameras[3] (F): Sensitivity is 0", StringComparison.Ordinal));
        Assert.Equal(["not JSON: " ], AgentConfig.Parse("{").Problems.Select(p => p[..10]));
    }
}
