using System.Text.RegularExpressions;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// What a container list asks for, as the API and the UI take it (every field optional). <see cref="Validate"/>
/// checks it once at the edge of the service: a bad value is a 400 naming its field, never an engine error.
/// </summary>
/// <param name="All">Stopped containers too (like <c>docker ps -a</c>); a <paramref name="Status"/> filter implies it.</param>
/// <param name="Name">Part of the name (letters, digits, <c>_ . -</c>), matched by the engine.</param>
/// <param name="Image">Part of the image reference, or a prefix of the image id (<c>sha256:…</c>), matched here.</param>
/// <param name="Labels"><c>key</c> or <c>key=value</c>, each must match; matched by the engine.</param>
/// <param name="Node">A swarm node id (or prefix of at least 4), a node's host name, or an engine name.</param>
/// <param name="Status">created, restarting, running, removing, paused, exited or dead; matched by the engine.</param>
/// <param name="System">Include system containers and Dockyard's own.</param>
/// <param name="Sort">name, image, state, created (the default) or node.</param>
/// <param name="Order">asc or desc; created sorts newest first unless asc is asked.</param>
internal sealed partial record ContainerQuery(
    bool All = false,
    string? Name = null,
    string? Image = null,
    IReadOnlyList<string>? Labels = null,
    string? Node = null,
    string? Status = null,
    bool System = false,
    string? Sort = null,
    string? Order = null)
{
    public static readonly IReadOnlyList<string> Statuses = ["created", "restarting", "running", "removing", "paused", "exited", "dead"];

    public static readonly IReadOnlyList<string> SortKeys = ["name", "image", "state", "created", "node"];

    /// <summary>The sort key after defaults.</summary>
    public string SortKey => string.IsNullOrEmpty(Sort) ? "created" : Sort;

    /// <summary>True when the list is in descending order (created defaults to newest first).</summary>
    public bool Descending => Order switch
    {
        "desc" => true,
        "asc" => false,
        _ => SortKey == "created",
    };

    /// <summary>Throws <see cref="DomainException"/> (400) naming the first bad field.</summary>
    public ContainerQuery Validate()
    {
        if (!string.IsNullOrEmpty(Name) && !NameFilter().IsMatch(Name))
        {
            throw DomainException.Invalid("name", "A name filter is part of a container name: letters, digits, '_', '.' and '-' (at most 128).");
        }

        if (Image is { Length: > 255 })
        {
            throw DomainException.Invalid("image", "An image filter is at most 255 characters.");
        }

        foreach (var label in Labels ?? [])
        {
            if (string.IsNullOrWhiteSpace(label) || label.Length > 512 || label.StartsWith('=') || label.Any(char.IsControl))
            {
                throw DomainException.Invalid("label", "A label filter is 'key' or 'key=value' (at most 512 characters).");
            }
        }

        if (Node is { Length: > 128 } || (Node is not null && Node.Any(char.IsControl)))
        {
            throw DomainException.Invalid("node", "A node filter is a node id, host name or engine name.");
        }

        if (!string.IsNullOrEmpty(Status) && !Statuses.Contains(Status))
        {
            throw DomainException.Invalid("status", "status is one of " + string.Join(", ", Statuses) + ".");
        }

        if (!string.IsNullOrEmpty(Sort) && !SortKeys.Contains(Sort))
        {
            throw DomainException.Invalid("sort", "sort is one of " + string.Join(", ", SortKeys) + ".");
        }

        if (!string.IsNullOrEmpty(Order) && Order is not ("asc" or "desc"))
        {
            throw DomainException.Invalid("order", "order is asc or desc.");
        }

        return this;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameFilter();
}
