using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.Filesystem;
using Dockyard.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddDockyardStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddSingleton<IStorageDriver>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var dataDirectory = provider.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
            return options.Driver switch
            {
                StorageDriverKind.Filesystem => new FilesystemStorageDriver(
                    string.IsNullOrWhiteSpace(options.Path) ? Path.Combine(dataDirectory.FullPath, "storage") : Path.GetFullPath(options.Path)),
                _ => throw new InvalidOperationException($"Unsupported storage driver '{options.Driver}'."),
            };
        });
        return services;
    }
}
