using System.Security.Cryptography;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>Reads the single PEM block of a key file. Error messages name the PEM type at most, never the key's bytes.</summary>
internal static class PemBlock
{
    private const int MaxLabelShown = 64;

    /// <summary>
    /// The DER bytes of the one PEM block in <paramref name="text"/> when its type is one of <paramref name="labels"/>;
    /// otherwise a <see cref="KeyFormatException"/> (no block, several blocks, bad base64, or <paramref name="describeWrongLabel"/>'s words).
    /// </summary>
    public static byte[] ReadSingle(string text, IReadOnlyCollection<string> labels, Func<string, string> describeWrongLabel, out string label)
    {
        if (!PemEncoding.TryFind(text, out var fields))
        {
            throw new KeyFormatException(DescribeNotPem(text, labels));
        }

        label = text[fields.Label].ToString();
        if (!labels.Contains(label, StringComparer.Ordinal))
        {
            throw new KeyFormatException(describeWrongLabel(label.Length > MaxLabelShown ? label[..MaxLabelShown] + "…" : label));
        }

        if (PemEncoding.TryFind(text.AsSpan(fields.Location.End.GetOffset(text.Length)), out _))
        {
            throw new KeyFormatException("the text holds more than one PEM block: give exactly one key.");
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan(fields.Base64Data), der, out var written) || written != der.Length)
        {
            throw new KeyFormatException($"the {label} block's base64 is malformed.");
        }

        return der;
    }

    /// <inheritdoc cref="ReadSingle(string, IReadOnlyCollection{string}, Func{string, string}, out string)"/>
    public static byte[] ReadSingle(string text, string label, Func<string, string> describeWrongLabel) =>
        ReadSingle(text, [label], describeWrongLabel, out _);

    private static string DescribeNotPem(string text, IReadOnlyCollection<string> labels)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith("ssh-", StringComparison.Ordinal) || trimmed.StartsWith("ecdsa-sha2-", StringComparison.Ordinal))
        {
            return "an OpenSSH key is not supported: give a PEM \"" + labels.First() + "\" block.";
        }

        return trimmed.Contains("-----BEGIN", StringComparison.Ordinal)
            ? "the PEM block is malformed (its BEGIN/END lines or base64 do not match)."
            : "not a PEM block: expected text starting with -----BEGIN " + labels.First() + "-----.";
    }
}
