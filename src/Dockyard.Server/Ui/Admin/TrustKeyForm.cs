namespace Dockyard.Server.Ui.Admin;

/// <summary>The fields of the signing-key forms (each form posts the few it shows); <c>TrustKeyService</c> validates every value.</summary>
public sealed class TrustKeyForm
{
    public string? Name { get; set; }

    /// <summary>A team name within the organization; empty for an organization-wide key.</summary>
    public string? Team { get; set; }

    /// <summary>The pasted PEM public key (empty when <see cref="Generate"/>).</summary>
    public string? PublicKey { get; set; }

    /// <summary>Have Dockyard generate a P-256 pair and hold its private part.</summary>
    public bool Generate { get; set; }

    /// <summary>The day (UTC) from whose start the key's signatures stop counting; empty for never.</summary>
    public DateOnly? ExpiresOn { get; set; }

    public string? Reason { get; set; }
}
