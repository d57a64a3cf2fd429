using System.Text.Json;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Protection;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// Stores and reads a revision's content: files, plain environment, images and follow list as JSON; the secret
/// environment and the attachments as JSON sealed by the server's <see cref="SecretProtector"/> (the key outside the
/// database), so a copy of the database reveals none of them.
/// </summary>
internal sealed class StackRevisionCodec(SecretProtector protector)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Write(StackRevisionEntity revision, StackRevisionContent content)
    {
        revision.Files = JsonSerializer.Serialize(content.Files, Json);
        revision.Environment = JsonSerializer.Serialize(content.Environment, Json);
        revision.SecretEnvironment = content.SecretEnvironment.Count == 0 ? null : protector.Protect(JsonSerializer.Serialize(content.SecretEnvironment, Json));
        revision.Attachments = content.Attachments.Count == 0
            ? null
            : protector.Protect(JsonSerializer.Serialize(content.Attachments.ToDictionary(a => a.Key, a => Convert.ToBase64String(a.Value)), Json));
        revision.Images = JsonSerializer.Serialize(content.Images, Json);
        revision.Follow = JsonSerializer.Serialize(content.Follow, Json);
    }

    /// <summary>The content with secrets opened (to redeploy it).</summary>
    public StackRevisionContent Read(StackRevisionEntity revision)
    {
        var attachments = revision.Attachments is { } sealedAttachments
            ? Map(protector.Unprotect(sealedAttachments)).ToDictionary(a => a.Key, a => Convert.FromBase64String(a.Value), StringComparer.Ordinal)
            : [];
        return ReadPublic(revision) with
        {
            SecretEnvironment = revision.SecretEnvironment is { } sealedEnvironment ? Map(protector.Unprotect(sealedEnvironment)) : new Dictionary<string, string>(),
            Attachments = attachments,
        };
    }

    /// <summary>The content without opening secrets: secret names are known, their values are not (empty).</summary>
    public static StackRevisionContent ReadPublic(StackRevisionEntity revision) => new(
        JsonSerializer.Deserialize<List<StackFile>>(revision.Files, Json) ?? [],
        Map(revision.Environment),
        new Dictionary<string, string>(),
        new Dictionary<string, byte[]>(),
        Map(revision.Images),
        JsonSerializer.Deserialize<List<string>>(revision.Follow, Json) ?? []);

    /// <summary>The names of the secret variables, read by opening the sealed environment (values discarded).</summary>
    public IReadOnlyList<string> SecretNames(StackRevisionEntity revision) =>
        revision.SecretEnvironment is { } sealedEnvironment ? [.. Map(protector.Unprotect(sealedEnvironment)).Keys.Order(StringComparer.Ordinal)] : [];

    private static Dictionary<string, string> Map(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? new Dictionary<string, string>(StringComparer.Ordinal);
}
