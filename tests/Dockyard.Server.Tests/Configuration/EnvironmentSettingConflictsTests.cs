using System.Collections;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Tests.Configuration;

public sealed class EnvironmentSettingConflictsTests
{
    [Fact]
    public void Two_spellings_of_one_setting_with_different_values_are_refused_naming_both()
    {
        var environment = new Hashtable
        {
            ["PATH"] = "/usr/bin",
            ["DOCKYARD__AUTH__ENABLED"] = "false",
            ["Dockyard__Auth__Enabled"] = "true",
        };

        var error = Assert.Throws<ConflictingEnvironmentSettingsException>(() => EnvironmentSettingConflicts.ThrowIfAny(environment));

        Assert.Contains("DOCKYARD__AUTH__ENABLED and Dockyard__Auth__Enabled", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("true", error.Message, StringComparison.Ordinal);   // values may be secrets
    }

    [Fact]
    public void Same_values_distinct_settings_and_other_software_variables_are_accepted()
    {
        var environment = new Hashtable
        {
            ["DOCKYARD__AUTH__ENABLED"] = "true",
            ["Dockyard__Auth__Enabled"] = "true",
            ["Dockyard__Audit__Pulls"] = "false",
            ["Path"] = "a",
            ["PATH"] = "b",
        };

        EnvironmentSettingConflicts.ThrowIfAny(environment);
    }

    [Fact]
    public void Double_underscore_and_colon_spellings_name_the_same_setting()
    {
        var environment = new Hashtable
        {
            ["Dockyard:Storage:Driver"] = "s3",
            ["DOCKYARD__STORAGE__DRIVER"] = "filesystem",
        };

        Assert.Throws<ConflictingEnvironmentSettingsException>(() => EnvironmentSettingConflicts.ThrowIfAny(environment));
    }
}
