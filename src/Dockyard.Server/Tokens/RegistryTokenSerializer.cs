using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Dockyard.Server.Access;

namespace Dockyard.Server.Tokens;

/// <summary>
/// The JWT payload: <c>iss sub aud exp nbf iat jti access</c> plus Dockyard's principal claims
/// (<c>dky_kind dky_uid dky_said dky_oid dky_admin dky_amr dky_scopes</c>, and <c>dky_gun</c>: the access entries
/// granted for a notary server only, see <see cref="ResourceScope.ForNotary"/>). Reading is strict: a missing or
/// mistyped required claim makes the token malformed.
/// </summary>
internal static class RegistryTokenSerializer
{
    public static byte[] Serialize(RegistryTokenClaims claims)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var principal = claims.Principal;
            writer.WriteStartObject();
            writer.WriteString("iss", claims.Issuer);
            writer.WriteString("sub", principal.Name);
            writer.WriteString("aud", claims.Audience);
            writer.WriteNumber("exp", claims.ExpiresAt.ToUnixTimeSeconds());
            writer.WriteNumber("nbf", claims.NotBefore.ToUnixTimeSeconds());
            writer.WriteNumber("iat", claims.IssuedAt.ToUnixTimeSeconds());
            writer.WriteString("jti", claims.Id);
            writer.WriteStartArray("access");
            foreach (var scope in claims.Access)
            {
                writer.WriteStartObject();
                writer.WriteString("type", scope.Type);
                writer.WriteString("name", scope.Name);
                writer.WriteStartArray("actions");
                foreach (var action in scope.Actions)
                {
                    writer.WriteStringValue(action);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (claims.Access.Any(a => a.ForNotary))
            {
                writer.WriteStartArray("dky_gun");
                foreach (var scope in claims.Access.Where(a => a.ForNotary))
                {
                    writer.WriteStringValue(scope.Name);
                }

                writer.WriteEndArray();
            }

            writer.WriteString("dky_kind", KindName(principal.Kind));
            WriteOptional(writer, "dky_uid", principal.UserId);
            WriteOptional(writer, "dky_said", principal.ServiceAccountId);
            WriteOptional(writer, "dky_oid", principal.OrganizationId);
            writer.WriteBoolean("dky_admin", principal.IsAdmin);
            writer.WriteString("dky_amr", principal.AuthMethod);
            if (principal.Scopes is { } scopes)
            {
                writer.WritePropertyName("dky_scopes");
                using var scopesJson = JsonDocument.Parse(Identity.AccessTokenService.SerializeScopes(scopes));
                scopesJson.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static bool TryDeserialize(byte[] json, [NotNullWhen(true)] out RegistryTokenClaims? claims)
    {
        claims = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryString(root, "iss", out var issuer) || !TryString(root, "sub", out var subject) || !TryString(root, "jti", out var id)
                || !TryAudience(root, out var audience)
                || !TrySeconds(root, "exp", out var expires) || !TrySeconds(root, "nbf", out var notBefore) || !TrySeconds(root, "iat", out var issued)
                || !TryString(root, "dky_kind", out var kindName) || !TryKind(kindName, out var kind)
                || !TryString(root, "dky_amr", out var authMethod)
                || !root.TryGetProperty("dky_admin", out var admin) || admin.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || !TryAccess(root, out var access) || !TryNotaryNames(root, out var notaryNames))
            {
                return false;
            }

            if (notaryNames.Count > 0)
            {
                access = [.. access.Select(a => notaryNames.Contains(a.Name) ? a with { ForNotary = true } : a)];
            }

            IReadOnlyList<TokenScope>? scopes = null;
            if (root.TryGetProperty("dky_scopes", out var scopesElement))
            {
                scopes = Identity.AccessTokenService.DeserializeScopes(scopesElement.GetRawText());
            }

            claims = new RegistryTokenClaims
            {
                Issuer = issuer,
                Audience = audience,
                Id = id,
                ExpiresAt = expires,
                NotBefore = notBefore,
                IssuedAt = issued,
                Access = access,
                Principal = new Principal
                {
                    Kind = kind,
                    Name = subject,
                    UserId = OptionalLong(root, "dky_uid"),
                    ServiceAccountId = OptionalLong(root, "dky_said"),
                    OrganizationId = OptionalLong(root, "dky_oid"),
                    IsAdmin = admin.GetBoolean(),
                    AuthMethod = authMethod,
                    Scopes = scopes,
                },
            };
            return true;
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static string KindName(PrincipalKind kind) => kind switch
    {
        PrincipalKind.User => "user",
        PrincipalKind.ServiceAccount => "service_account",
        _ => "anonymous",
    };

    private static bool TryKind(string name, out PrincipalKind kind)
    {
        kind = name switch
        {
            "user" => PrincipalKind.User,
            "service_account" => PrincipalKind.ServiceAccount,
            "anonymous" => PrincipalKind.Anonymous,
            _ => (PrincipalKind)(-1),
        };
        return Enum.IsDefined(kind);
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static long? OptionalLong(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) ? element.GetInt64() : null;

    private static bool TryString(JsonElement root, string name, out string value)
    {
        value = string.Empty;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    private static bool TryAudience(JsonElement root, out string audience)
    {
        audience = string.Empty;
        if (!root.TryGetProperty("aud", out var element))
        {
            return false;
        }

        // RFC 7519 allows one string or an array; we issue one, and accept an array of exactly one.
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 1 && element[0].ValueKind == JsonValueKind.String)
        {
            audience = element[0].GetString()!;
            return true;
        }

        return TryString(root, "aud", out audience);
    }

    private static bool TrySeconds(JsonElement root, string name, out DateTimeOffset value)
    {
        value = default;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var seconds))
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary>The <c>dky_gun</c> claim: names of access entries granted for a notary GUN only (absent: none).</summary>
    private static bool TryNotaryNames(JsonElement root, out HashSet<string> names)
    {
        names = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("dky_gun", out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            return false;
        }

        names.UnionWith(element.EnumerateArray().Select(e => e.GetString()!));
        return true;
    }

    private static bool TryAccess(JsonElement root, out IReadOnlyList<ResourceScope> access)
    {
        access = [];
        if (!root.TryGetProperty("access", out var element) || element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<ResourceScope>();
        foreach (var entry in element.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !TryString(entry, "type", out var type) || !TryString(entry, "name", out var name)
                || !entry.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array
                || actions.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                return false;
            }

            list.Add(new ResourceScope(type, name, [.. actions.EnumerateArray().Select(a => a.GetString()!)]));
        }

        access = list;
        return true;
    }
}
