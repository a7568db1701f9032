using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Tests;

/// <summary>The post-sign-in redirect goes only to a path on this site, whatever the link carries.</summary>
public sealed class SafeReturnUrlTests
{
    [Theory]
    [InlineData("/leads", "/leads")]
    [InlineData("/leads?grade=A&page=2", "/leads?grade=A&page=2")]
    [InlineData("/leads/5#notes", "/leads/5#notes")]
    [InlineData("/", "/")]
    public void Local_paths_are_kept(string url, string expected) => LoginPage.SafeReturnUrl(url).ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    // Browsers drop tabs and line breaks from a URL, so "/\t/evil" becomes "//evil".
    [InlineData("/\t/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0d%0a/evil.example")]
    [InlineData("/leads%0d%0aSet-Cookie:x=1")]
    [InlineData("/leads\u0000")]
    [InlineData("/%2f/evil.example")]
    [InlineData("/%5cevil.example")]
    [InlineData("/%252f/evil.example")]
    [InlineData("/leads\u2028")]
    [InlineData(" /leads")]
    public void Anything_else_goes_home(string? url) => LoginPage.SafeReturnUrl(url).ShouldBe("/");
}
