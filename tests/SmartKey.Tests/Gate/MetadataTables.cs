using System.Collections.Generic;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace SmartKey.Tests.Gate;

/// <summary>Row enumerations System.Reflection.Metadata does not offer directly.</summary>
public static class MetadataTables
{
    public static IEnumerable<TypeSpecificationHandle> TypeSpecifications(MetadataReader reader)
    {
        int rows = reader.GetTableRowCount(TableIndex.TypeSpec);
        for (int i = 1; i <= rows; i++) yield return MetadataTokens.TypeSpecificationHandle(i);
    }

    public static IEnumerable<MethodSpecificationHandle> MethodSpecifications(MetadataReader reader)
    {
        int rows = reader.GetTableRowCount(TableIndex.MethodSpec);
        for (int i = 1; i <= rows; i++) yield return MetadataTokens.MethodSpecificationHandle(i);
    }
}
