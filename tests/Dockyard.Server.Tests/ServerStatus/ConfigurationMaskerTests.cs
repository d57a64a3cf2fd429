using Dockyard.Server.ServerStatus;
using Microsoft.Extensions.Configuration;

namespace Dockyard.Server.Tests.ServerStatus;

public sealed class ConfigurationMaskerTests
{
    [Theory]
    [InlineData("Dockyard:Ldap:BindPassword")]
    [InlineData("Dockyard:Storage:S3:SecretAccessKey")]
    [InlineData("Dockyard:Storage:S3:AccessKeyId")]
    [InlineData("Dockyard:Webhooks:Token")]
    [InlineData("Dockyard:Secrets:KeyFile")]
    [InlineData("Dockyard:Example:CREDENTIALS:0")]
    public void Apply_KeyNamingASecret_ShowsOnlyThatItIsSet(string key)
    {
        Assert.Equal(("********", true), ConfigurationMasker.Apply(key, "hunter2-value"));
        Assert.Equal((string.Empty, false), ConfigurationMasker.Apply(key, string.Empty));
    }

    [Theory]
    [InlineData("Host=db;Username=dockyard;Password=s3cr3t;Database=dockyard", "Host=db;Username=dockyard;Password=********;Database=dockyard")]
    [InlineData("Host=db; pwd = 's3;cr''et' ;Database=d", "Host=db; pwd=******** ;Database=d")]
    [InlineData("Host=db;Password=\"a;b\"\"c\"", "Host=db;Password=********")]
    [InlineData("postgres://dockyard:s3cr3t@db:5432/dockyard", "postgres://dockyard:********@db:5432/dockyard")]
    [InlineData("https://mirror.example/v2/", "https://mirror.example/v2/")]
    [InlineData("Data Source=/var/lib/dockyard/dockyard.db", "Data Source=/var/lib/dockyard/dockyard.db")]
    public void Apply_OtherValues_MaskConnectionStringAndUrlPasswordsOnly(string value, string shown)
    {
        var (masked, changed) = ConfigurationMasker.Apply("Dockyard:Database:ConnectionString", value);

        Assert.Equal(shown, masked);
        Assert.Equal(shown != value, changed);
        Assert.DoesNotContain("s3cr3t", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationView_ListsSetDockyardSettings_MaskedAndWithTheirSource()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dockyard:Database:ConnectionString"] = "Host=db;Password=first",
                ["Dockyard:Ldap:BindPassword"] = "bind-secret",
                ["Logging:LogLevel:Default"] = "Debug",
            })
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Dockyard:Database:ConnectionString"] = "Host=db2;Password=second" })
            .Build();

        var settings = ConfigurationView.Of(configuration);

        Assert.Equal(["Dockyard:Database:ConnectionString", "Dockyard:Ldap:BindPassword"], settings.Select(s => s.Key));
        Assert.Equal("Host=db2;Password=********", settings[0].Value);
        Assert.All(settings, s => Assert.True(s.Masked));
        Assert.All(settings, s => Assert.Equal("in-memory", s.Source));
        Assert.DoesNotContain(settings, s => s.Value.Contains("second", StringComparison.Ordinal) || s.Value.Contains("bind-secret", StringComparison.Ordinal));
    }
}
