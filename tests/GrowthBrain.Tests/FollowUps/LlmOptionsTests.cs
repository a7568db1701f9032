using GrowthBrain.FollowUps;
using GrowthBrain.FollowUps.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>The `Llm` section as an operator writes it: defaults, the writer it picks, and start-up errors that say what to set.</summary>
public sealed class LlmOptionsTests
{
    private static ServiceProvider Services(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();
        return new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddGrowthBrainFollowUps(configuration).BuildServiceProvider();
    }

    private static IReadOnlyList<string> Failures(params (string, string?)[] settings)
    {
        using var services = Services(settings);
        return Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<LlmOptions>>().Value).Failures.ToList();
    }

    [Fact]
    public void No_Llm_section_means_the_offline_template_writer_with_sensible_limits()
    {
        using var services = Services();

        var options = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        options.ProviderKind.ShouldBe(LlmProvider.Template);
        options.TimeoutSeconds.ShouldBe(30);
        options.MaxRetries.ShouldBe(2);
        var writer = services.GetRequiredService<IDraftWriter>();
        writer.ShouldBeOfType<TemplateDraftWriter>();
        writer.Label.ShouldBe("Built-in template writer (offline)");
    }

    [Fact]
    public void A_configured_provider_gives_the_chat_writer_named_after_provider_and_model()
    {
        using var services = Services(("Llm:Provider", "openai"), ("Llm:Model", "gpt-4o-mini"), ("Llm:ApiKey", "sk-x"), ("Llm:TimeoutSeconds", "12"),
            ("Llm:InputCostPer1kTokens", "0.15"), ("Llm:OutputCostPer1kTokens", "0.6"));

        var writer = services.GetRequiredService<IDraftWriter>().ShouldBeOfType<ChatDraftWriter>();
        writer.Label.ShouldBe("OpenAI gpt-4o-mini");
        var options = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        options.TimeoutSeconds.ShouldBe(12);
        options.CostOf(2000, 1000).ShouldBe(0.9m);
    }

    [Fact]
    public void Ollama_needs_a_model_but_no_key()
    {
        using var services = Services(("Llm:Provider", "Ollama"), ("Llm:Model", "llama3.1"));

        services.GetRequiredService<IDraftWriter>().Label.ShouldBe("Ollama llama3.1");
        Failures(("Llm:Provider", "Ollama")).ShouldHaveSingleItem().ShouldContain("Llm:Model is empty");
    }

    [Fact]
    public void OpenAI_without_a_model_fails_at_start_saying_what_to_set_but_a_missing_key_does_not()
    {
        // The key may be stored in Settings → Secrets (the database), which options validation cannot see;
        // a call without any key fails with its own message instead (StoredLlmKeyTests).
        Failures(("Llm:Provider", "OpenAI")).ShouldHaveSingleItem().ShouldContain("Llm:Model is empty");
        using var services = Services(("Llm:Provider", "OpenAI"), ("Llm:Model", "gpt-4o-mini"));
        services.GetRequiredService<IDraftWriter>().Label.ShouldBe("OpenAI gpt-4o-mini");
    }

    [Fact]
    public void An_OpenAI_compatible_server_with_an_endpoint_needs_no_key()
    {
        using var services = Services(("Llm:Provider", "OpenAI"), ("Llm:Model", "qwen2.5"), ("Llm:Endpoint", "http://127.0.0.1:8000/v1"));

        services.GetRequiredService<IDraftWriter>().Label.ShouldBe("OpenAI qwen2.5");
    }

    [Theory]
    [InlineData("Llm:Provider", "Gemini", "Llm:Provider is 'Gemini'; set it to Template")]
    [InlineData("Llm:TimeoutSeconds", "0", "Llm:TimeoutSeconds is 0")]
    [InlineData("Llm:MaxRetries", "-1", "Llm:MaxRetries is -1")]
    [InlineData("Llm:Endpoint", "localhost:11434", "Llm:Endpoint is 'localhost:11434'; set an absolute http(s) address")]
    public void Bad_values_fail_with_a_message_naming_the_setting(string key, string value, string message)
    {
        Failures((key, value)).ShouldContain(f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Azure_OpenAI_needs_an_endpoint_a_deployment_and_a_key()
    {
        var failures = Failures(("Llm:Provider", "AzureOpenAI"));

        failures.ShouldContain(f => f.Contains("deployment name"));
        failures.ShouldContain(f => f.Contains("Llm:Endpoint is empty"));
    }

    [Fact]
    public void The_api_key_never_appears_in_the_options_text()
    {
        var options = new LlmOptions { Provider = "OpenAI", Model = "gpt-4o-mini", ApiKey = "sk-very-secret" };

        options.ToString().ShouldNotContain("sk-very-secret");
        options.ToString().ShouldContain("Llm:ApiKey=(set)");
    }
}
