using System.Text;
using NvrBlazor.Domain.Users;

namespace NvrBlazor.Tests.Domain.Users;

public class ApiKeyTextTests
{
    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    [Fact]
    public void A_new_key_has_the_prefix_the_length_and_a_hash_that_is_not_the_key()
    {
        var (key, hash) = ApiKeyText.Create();
        Assert.StartsWith(ApiKeyText.Prefix, key);
        Assert.Equal(ApiKeyText.Length, key.Length);
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(key[ApiKeyText.Prefix.Length..], hash, StringComparison.Ordinal);
        Assert.Equal(hash, ApiKeyText.Hash(key));
        Assert.NotEqual(key, ApiKeyText.Create().Key);
    }

    [Fact]
    public void A_key_is_read_from_bearer_and_from_a_basic_password()
    {
        var (key, _) = ApiKeyText.Create();
        Assert.Equal((key, null), ApiKeyText.FromAuthorization("Bearer " + key));
        Assert.Equal((key, null), ApiKeyText.FromAuthorization("bearer  " + key));
        Assert.Equal((key, null), ApiKeyText.FromAuthorization(Basic("homeassistant:" + key)));
        Assert.Equal((key, null), ApiKeyText.FromAuthorization(Basic(":" + key)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Digest username=\"x\"")]
    [InlineData("Bearer")]
    public void Other_headers_carry_no_key(string? header) => Assert.Equal((null, null), ApiKeyText.FromAuthorization(header));

    [Fact]
    public void A_basic_password_that_is_not_a_key_is_left_alone() =>
        Assert.Equal((null, null), ApiKeyText.FromAuthorization(Basic("admin:my password")));

    [Theory]
    [InlineData("Bearer abc", "starts with")]
    [InlineData("Bearer nvrk_short", "48 characters")]
    [InlineData("Bearer nvrk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "48 characters")]
    [InlineData("Basic ***", "not base64")]
    public void A_malformed_key_says_what_is_wrong(string header, string error)
    {
        var (key, problem) = ApiKeyText.FromAuthorization(header);
        Assert.Null(key);
        Assert.Contains(error, problem);
    }
}
