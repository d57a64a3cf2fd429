using System.Net;
using Dockyard.Server.Errors;
using Dockyard.Server.Webhooks;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Webhooks;

public sealed class WebhookDestinationPolicyTests
{
    private static readonly WebhookDestinationPolicy Default = new(Options.Create(new WebhookOptions()));

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f.0.0.1", "127.0.0.1")]
    [InlineData("0x7F000001", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0177.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("169.254.43518", "169.254.169.254")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("[::1]", "::1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("::ffff:7f00:1", "::ffff:127.0.0.1")]
    public void TryParse_AddressSpellings_ReadAsTheResolverDoes(string host, string expected)
    {
        Assert.True(WebhookHostLiteral.TryParse(host, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("0x7g.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.256")]
    [InlineData("4294967296")]
    [InlineData("08.0.0.1")]
    [InlineData("127.0.0.1x")]
    public void TryParse_Names_AreNotAddresses(string host) =>
        Assert.False(WebhookHostLiteral.TryParse(host, out _));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.0.170")]
    [InlineData("198.19.0.1")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    public void IsAllowed_DeniedRanges_Refused(string address) =>
        Assert.False(Default.IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void IsAllowed_PublicAddresses_Allowed(string address) =>
        Assert.True(Default.IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void IsAllowed_AllowListedNetwork_AllowedInEverySpelling()
    {
        var policy = new WebhookDestinationPolicy(Options.Create(new WebhookOptions { AllowedNetworks = ["10.1.0.0/16, 127.0.0.1"] }));

        Assert.True(policy.IsAllowed(IPAddress.Parse("10.1.2.3")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.True(policy.IsAllowed(IPAddress.Parse("127.0.0.1")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("127.0.0.2")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.2.0.1")));
        policy.ThrowIfDenied(new Uri("http://0x7f.0.0.1/hook"));
    }

    [Theory]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.0.0.1/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://METADATA.google.internal./")]
    public void ThrowIfDenied_WhateverSystemUriMakesOfTheSpelling_Refused(string url)
    {
        var error = Assert.Throws<DomainException>(() => Default.ThrowIfDenied(new Uri(url)));

        Assert.Equal("url", error.Field);
    }

    [Fact]
    public void TryParseNetworks_Garbage_NamesTheEntry()
    {
        Assert.False(WebhookDestinationPolicy.TryParseNetworks(["10.0.0.0/8", "intranet"], out _, out var error));
        Assert.Contains("'intranet'", error, StringComparison.Ordinal);
    }
}
