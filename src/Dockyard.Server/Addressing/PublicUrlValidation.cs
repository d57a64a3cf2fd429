using Microsoft.Extensions.Options;

namespace Dockyard.Server.Addressing;

/// <summary>Refuses to start with a public URL that is malformed, or missing while listening beyond loopback (<see cref="PublicUrlRules"/>).</summary>
internal sealed class PublicUrlValidation : IValidateOptions<PublicUrlOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicUrlOptions options) =>
        PublicUrlRules.Error(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
