using Dockyard.Server.Errors;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control;

/// <summary>Checks <c>Dockyard:Control</c> on start: positive intervals, and every configured engine valid (<see cref="EngineRules"/>) and named once.</summary>
internal sealed class ControlOptionsValidator : IValidateOptions<ControlOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlOptions options)
    {
        if (options.RefreshInterval <= TimeSpan.Zero || options.ProbeTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"{ControlOptions.Section}: RefreshInterval and ProbeTimeout must be positive.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Engines.Count; i++)
        {
            var engine = options.Engines[i];
            try
            {
                var definition = EngineRules.Validate(engine.Name, engine.Endpoint, engine.CaFile, engine.CertFile, engine.KeyFile);
                if (!names.Add(definition.Name))
                {
                    return ValidateOptionsResult.Fail($"{ControlOptions.Section}:Engines:{i}: the name '{definition.Name}' is configured twice.");
                }
            }
            catch (DomainException invalid)
            {
                return ValidateOptionsResult.Fail($"{ControlOptions.Section}:Engines:{i} ('{engine.Name}'): {invalid.Field}: {invalid.Message}");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
