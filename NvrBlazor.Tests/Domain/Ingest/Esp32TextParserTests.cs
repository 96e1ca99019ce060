using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class Esp32TextParserTests
{
    [Fact]
    public void The_first_status_json_is_read_with_duplicate_keys_last_wins_and_numbers_as_text()
    {
        var message = Esp32TextParser.Parse("#1732233600|{\"hostName\":\"cam-a\",\"framesize\":\"5\",\"llevel\":7,\"fps\":\"10\",\"hostName\":\"cam-b\",\"framesize\":\"8\",\"pwd\":\"****\"}");
        Assert.Equal(Esp32TextKind.Status, message.Kind);
        Assert.Equal(1732233600, message.CameraTime);
        Assert.Equal("cam-b", message.Status!["hostName"]);
        Assert.Equal("8", message.Status["framesize"]);
        Assert.Equal("7", message.Status["llevel"]);
    }

    [Fact]
    public void Json_broken_by_an_unescaped_quote_is_kept_as_text()
    {
        var message = Esp32TextParser.Parse("#1732233600|{\"hostName\":\"Bob\"s cam\",\"fps\":\"10\"}");
        Assert.Equal(Esp32TextKind.Info, message.Kind);
        Assert.Equal(1732233600, message.CameraTime);
        Assert.Contains("Bob", message.Payload);
    }

    [Theory]
    [InlineData("#1732233600|MotionStart", Esp32TextKind.MotionStart)]
    [InlineData("#1732233600|MotionEnd", Esp32TextKind.MotionEnd)]
    [InlineData("#1732233600|paused", Esp32TextKind.Paused)]
    [InlineData("#1732233600|fps=10", Esp32TextKind.Setting)]
    [InlineData("#1732233600|enableMotion=1", Esp32TextKind.Setting)]
    [InlineData("#1732233600|SD card mounted", Esp32TextKind.Info)]
    [InlineData("#1732233600|a b=c", Esp32TextKind.Info)]
    public void Payloads_are_classified_as_the_firmware_means_them(string text, Esp32TextKind kind)
    {
        Assert.Equal(kind, Esp32TextParser.Parse(text).Kind);
    }

    [Fact]
    public void A_setting_echo_splits_into_key_and_value_at_the_first_equals()
    {
        var message = Esp32TextParser.Parse("#1732233600|note=a=b");
        Assert.Equal("note", message.SettingKey);
        Assert.Equal("a=b", message.SettingValue);
    }

    [Theory]
    [InlineData("no prefix at all")]
    [InlineData("#abc|MotionStart")]
    [InlineData("#|x")]
    [InlineData("#12345678901234567890123|x")]
    [InlineData("")]
    public void Text_without_a_readable_time_prefix_has_no_camera_time_and_is_kept(string text)
    {
        var message = Esp32TextParser.Parse(text);
        Assert.Null(message.CameraTime);
        Assert.Equal(Esp32TextKind.Info, message.Kind);
    }

    [Fact]
    public void Random_text_never_throws_and_is_always_kept()
    {
        var random = new Random(20261122);
        const string alphabet = "#|{}\":,=0123456789abcMotionStrEdpu \\\n[]";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var c = 0; c < chars.Length; c++)
                chars[c] = random.Next(10) == 0 ? (char)random.Next(0, 0xD7FF) : alphabet[random.Next(alphabet.Length)];
            var text = new string(chars);
            var message = Esp32TextParser.Parse(text);
            Assert.NotNull(message.Payload);
            if (message.Kind == Esp32TextKind.Status)
                Assert.NotNull(message.Status);
        }
    }

    [Fact]
    public void A_status_with_too_many_keys_is_capped_not_grown_without_limit()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"k{i}\":\"{i}\"")) + "}";
        var status = Esp32StatusJson.TryParse(json);
        Assert.Equal(Esp32StatusJson.MaxKeys, status!.Count);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"a\":\"b\"} trailing")]
    [InlineData("{\"a\":")]
    [InlineData("\"text\"")]
    public void Anything_but_one_json_object_is_not_a_status(string json)
    {
        Assert.Null(Esp32StatusJson.TryParse(json));
    }
}
