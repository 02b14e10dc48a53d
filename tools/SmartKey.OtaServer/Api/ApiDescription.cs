using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SmartKey.OtaServer.Auth;

namespace SmartKey.OtaServer.Api;

/// <summary>
/// What the OpenAPI document adds to the endpoints' own metadata: the bearer security scheme (and the provider's
/// discovery document when one is configured), each operation's security requirement and the roles it accepts.
/// </summary>
public static class ApiDescription
{
    public const string Bearer = "bearer";
    public const string Provider = "openIdConnect";

    public static void Configure(OpenApiOptions o, AuthOptions auth)
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SmartKey OTA server";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT or skop_ token",
                Description = "A local account's token (`smartkey-ota-server operator add`) or an access token from the OpenID Connect provider, for this server's audience.",
            };
            if (auth.Authority != null)
                document.Components.SecuritySchemes[Provider] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OpenIdConnect, OpenIdConnectUrl = new System.Uri(auth.Authority.TrimEnd('/') + "/.well-known/openid-configuration"),
                };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var roles = context.Description.ActionDescriptor.EndpointMetadata.OfType<OperatorAuth.RolesMetadata>().LastOrDefault();
            operation.Security ??= new List<OpenApiSecurityRequirement>();
            if (roles == null) return Task.CompletedTask;                   // /health: no credentials
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = new List<string>() });
            if (auth.Authority != null)
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Provider, context.Document)] = new List<string>() });
            string needs = "Roles: " + string.Join(", ", roles.Roles) + ".";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? needs : operation.Description + " " + needs;
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            var list = new System.Text.Json.Nodes.JsonArray(roles.Roles.Select(r => (System.Text.Json.Nodes.JsonNode?)r).ToArray());
            operation.Extensions["x-roles"] = new JsonNodeExtension(list);
            return Task.CompletedTask;
        });
    }
}
