using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dockyard.Server.Api;

/// <summary>
/// Documents the repository sub-resource endpoints (<see cref="RepositoryPathConstraint"/>) under their real paths.
/// Their routes are all <c>/repositories/{**path}</c>, and OpenAPI keys operations by path and method, so as routed
/// they would replace each other and the repository endpoints in the document. Here
/// <c>repositories/{**path:repositorypath(webhooks/{id})}</c> becomes <c>repositories/{name}/webhooks/{id}</c>, its
/// <c>path</c> parameter <c>name</c>, and <see cref="AddIdParameterAsync"/> adds the <c>id</c> path parameter.
/// </summary>
internal sealed partial class RepositoryPathDescriptions : IApiDescriptionProvider
{
    /// <summary>After the endpoint provider (order -1100) has described the endpoints.</summary>
    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            if (description.RelativePath is { } path && ConstrainedPath().Match(path) is { Success: true } match)
            {
                var shape = match.Groups["shape"].Value.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);
                description.RelativePath = string.Concat(path.AsSpan(0, match.Index), "{name}/", shape);
                foreach (var parameter in description.ParameterDescriptions.Where(p => p.Name == "path"))
                {
                    parameter.Name = "name";
                }
            }
        }
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
    }

    /// <summary>Operation transformer: the <c>id</c>, <c>digest</c> and <c>reference</c> of a documented sub-resource path, which no handler parameter binds.</summary>
    public static Task AddIdParameterAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath?.Contains("{name}/", StringComparison.Ordinal) == true
            && context.Description.RelativePath.Contains(RepositoryPath.IdSegment, StringComparison.Ordinal)
            && operation.Parameters?.Any(p => p.Name == "id") != true)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "id",
                In = ParameterLocation.Path,
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            });
        }

        if (context.Description.RelativePath?.Contains("{name}/", StringComparison.Ordinal) == true
            && context.Description.RelativePath.Contains(RepositoryPath.DigestSegment, StringComparison.Ordinal)
            && operation.Parameters?.Any(p => p.Name == "digest") != true)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "digest",
                In = ParameterLocation.Path,
                Required = true,
                Description = "A manifest digest, sha256:<hex>.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (context.Description.RelativePath?.Contains("{name}/", StringComparison.Ordinal) == true
            && context.Description.RelativePath.Contains(RepositoryPath.ReferenceSegment, StringComparison.Ordinal)
            && operation.Parameters?.Any(p => p.Name == "reference") != true)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "reference",
                In = ParameterLocation.Path,
                Required = true,
                Description = "A tag or a digest (sha256:…).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{\*\*path:repositorypath\((?<shape>[^)]*)\)\}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConstrainedPath();
}
