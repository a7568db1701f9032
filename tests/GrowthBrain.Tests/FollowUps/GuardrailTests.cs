using GrowthBrain.FollowUps;
using GrowthBrain.Leads;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>
/// Every guardrail, one at a time: a draft that breaks exactly that rule is flagged by exactly that rule,
/// so removing a rule (or weakening it) fails its test. The clean draft they start from passes everything.
/// </summary>
public sealed class GuardrailTests
{
    private static readonly Playbook Playbook = Playbook.Default;
    private static readonly Lead Lead = FollowUpLeads.English();
    private static readonly Draft Clean = new TemplateWriter().Write(Lead, FollowUpGoal.FirstTouch, Tone.Friendly, Playbook);

    private static string OptOut => Playbook.For("en").OptOutLine;

    /// <summary>Adds a sentence to the middle paragraph, keeping everything else as it was.</summary>
    private static Draft WithSentence(string sentence)
    {
        var parts = Clean.Body.Split("\n\n");
        parts[1] = $"{parts[1]} {sentence}";
        return Clean with { Body = string.Join("\n\n", parts) };
    }

    private static void ShouldBreakOnly(Draft draft, string rule, Lead? lead = null)
    {
        var check = Guardrails.Check(draft, lead ?? Lead, Playbook);
        check.Sendable.ShouldBeFalse();
        check.Violations.Select(v => v.Rule).Distinct().ShouldBe([rule], string.Join("\n", check.Violations.Select(v => $"{v.Rule}: {v.Message}")));
        check.Violations.ShouldAllBe(v => v.Message.Length > 20);
    }

    [Fact]
    public void A_clean_draft_passes_every_guardrail()
    {
        var check = Guardrails.Check(Clean, Lead, Playbook);

        check.Violations.ShouldBeEmpty();
        check.Sendable.ShouldBeTrue();
    }

    [Fact]
    public void A_body_under_50_words_is_too_short()
    {
        var draft = Clean with { Body = $"Hi Anna,\n\n{Clean.CallToAction}\n\n{OptOut}" };

        ShouldBreakOnly(draft, nameof(Guardrails.WordCount));
        Guardrails.WordCount(draft).Single().Message.ShouldContain("at least 50");
    }

    [Fact]
    public void A_body_over_150_words_is_too_long()
    {
        var draft = WithSentence(string.Concat(Enumerable.Repeat("Our team has spent many years working on pipeline planning with retail companies. ", 10)));

        ShouldBreakOnly(draft, nameof(Guardrails.WordCount));
        Guardrails.WordCount(draft).Single().Message.ShouldContain("150 or fewer");
    }

    [Fact]
    public void Two_calls_to_action_are_one_too_many()
    {
        ShouldBreakOnly(WithSentence("You can also book a slot in my calendar."), nameof(Guardrails.OneCallToAction));
        ShouldBreakOnly(WithSentence("Have you seen our latest report?"), nameof(Guardrails.OneCallToAction));
        ShouldBreakOnly(WithSentence("See https://example.com/tour for a tour."), nameof(Guardrails.OneCallToAction));
    }

    [Fact]
    public void A_draft_that_asks_for_nothing_has_no_call_to_action()
    {
        var draft = Clean with { Body = Clean.Body.Replace(Clean.CallToAction, "I hope this note is useful for your planning this quarter.") };

        ShouldBreakOnly(draft, nameof(Guardrails.OneCallToAction));
    }

    [Fact]
    public void The_opt_out_line_is_not_counted_as_a_call_to_action()
    {
        Guardrails.CallsToAction(Clean.Body.Replace(OptOut, "")).ShouldBe([Clean.CallToAction]);
        Guardrails.OneCallToAction(Clean, Playbook).ShouldBeEmpty();
    }

    [Fact]
    public void A_subject_of_60_characters_or_more_is_too_long()
    {
        var draft = Clean with { Subject = new string('x', 30) + " pipeline planning for your team" };

        draft.Subject.Length.ShouldBeGreaterThanOrEqualTo(60);
        ShouldBreakOnly(draft, nameof(Guardrails.SubjectLength));
        Guardrails.SubjectLength(Clean with { Subject = new string('x', 59) }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("As a woman in sales, you will see the value quickly.")]
    [InlineData("At your age, planning ahead matters more than ever.")]
    [InlineData("Young teams like yours move quickly.")]
    [InlineData("This works whatever your religion or ethnicity.")]
    public void Mentioning_a_protected_attribute_is_blocked(string sentence) =>
        ShouldBreakOnly(WithSentence(sentence), nameof(Guardrails.ProtectedAttributeWords));

    [Fact]
    public void Protected_words_inside_other_words_or_the_leads_name_are_not_flagged()
    {
        var lead = FollowUpLeads.English();
        lead.LastName = "Young";
        var draft = new TemplateWriter().Write(lead, FollowUpGoal.FirstTouch, Tone.Formal, Playbook);

        draft.Body.ShouldContain("Young");
        Guardrails.ProtectedAttributeWords(WithSentence("Hold on to the stage you have reached."), Lead).ShouldBeEmpty();
        Guardrails.Check(draft, lead, Playbook).Violations.ShouldBeEmpty();
    }

    [Fact]
    public void Biased_wording_is_blocked() =>
        ShouldBreakOnly(WithSentence("Your guys in the field will see it at once."), nameof(Guardrails.BiasedWording));

    [Fact]
    public void The_playbooks_forbidden_words_are_blocked() =>
        ShouldBreakOnly(WithSentence("Honestly, it is a no-brainer for a team like yours."), nameof(Guardrails.ForbiddenWords));

    [Theory]
    [InlineData("Act now, because this will not come round again.")]
    [InlineData("This is your last chance to join this quarter.")]
    [InlineData("It is urgent that your team starts this month.")]
    [InlineData("The pilot is open for a limited time.")]
    public void Pressure_tactics_are_blocked(string sentence) =>
        ShouldBreakOnly(WithSentence(sentence), nameof(Guardrails.PressureTactics));

    [Theory]
    [InlineData("We can also take 20% off the first year.")]
    [InlineData("Plans start at $99 a month.")]
    [InlineData("Plans start at 89 € a month.")]
    [InlineData("We include free onboarding for every new team.")]
    [InlineData("There is a special discount for new teams.")]
    [InlineData("Results are guaranteed within the first month.")]
    public void Offers_prices_and_claims_not_in_the_playbook_are_blocked(string sentence)
    {
        ShouldBreakOnly(WithSentence(sentence), nameof(Guardrails.UnapprovedOffers));
        Guardrails.UnapprovedOffers(WithSentence(sentence), Lead, Playbook).Single().Message.ShouldContain("a free 30-day pilot");
    }

    [Fact]
    public void The_playbooks_own_offer_is_allowed()
    {
        Clean.Body.ShouldContain("a free 30-day pilot");
        Guardrails.UnapprovedOffers(Clean, Lead, Playbook).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{{first_name}}")]
    [InlineData("[Name]")]
    [InlineData("<FIRST_NAME>")]
    [InlineData("TODO")]
    [InlineData("{company}")]
    public void An_unfilled_placeholder_is_blocked(string placeholder)
    {
        var draft = Clean with { Body = Clean.Body.Replace("Anna", placeholder) };

        ShouldBreakOnly(draft, nameof(Guardrails.Placeholders));
        Guardrails.Placeholders(draft).Single().Message.ShouldContain(placeholder);
    }

    [Fact]
    public void A_placeholder_in_the_subject_is_blocked_too() =>
        ShouldBreakOnly(Clean with { Subject = "An idea for [Company]" }, nameof(Guardrails.Placeholders));

    [Fact]
    public void A_draft_without_the_opt_out_line_is_blocked()
    {
        var draft = Clean with { Body = Clean.Body.Replace(OptOut, "Have a good week, and thank you for reading this far.") };

        ShouldBreakOnly(draft, nameof(Guardrails.OptOutLine));
    }

    [Fact]
    public void An_english_draft_for_a_german_lead_is_in_the_wrong_language()
    {
        var german = FollowUpLeads.English();
        german.Country = "Germany";

        ShouldBreakOnly(Clean, nameof(Guardrails.Language), german);
        Guardrails.Language(Clean, german).Single().Message.ShouldContain("German");
    }

    [Fact]
    public void A_draft_labelled_german_but_written_in_english_is_in_the_wrong_language()
    {
        var german = FollowUpLeads.German();
        var draft = Clean with { Language = "de" };

        Guardrails.Language(draft, german).ShouldHaveSingleItem().Rule.ShouldBe(nameof(Guardrails.Language));
    }

    [Theory]
    [InlineData("Ne")]
    [InlineData("Tag")]
    [InlineData("Pilot")]
    public void A_lead_name_inside_a_word_of_the_approved_offer_does_not_make_the_offer_look_invented(string lastName)
    {
        // "Ne" used to be cut out of "einem", so "kostenlosen" was left over and flagged as an invented offer.
        var lead = FollowUpLeads.German();
        lead.LastName = lastName;
        foreach (var goal in new[] { FollowUpGoal.FirstTouch, FollowUpGoal.AfterDemo, FollowUpGoal.NoReplyYet })
        {
            var draft = new TemplateWriter().Write(lead, goal, Tone.Formal, Playbook);
            Guardrails.Check(draft, lead, Playbook).Violations.ShouldBeEmpty(draft.Body);
        }
    }

    [Fact]
    public void A_lead_name_is_ignored_only_as_a_whole_word()
    {
        var lead = FollowUpLeads.English();
        lead.LastName = "Urge";

        // "urgent" still counts as pressure although it starts with the lead's name.
        ShouldBreakOnly(WithSentence("This is urgent for your team."), nameof(Guardrails.PressureTactics), lead);
    }
}
