using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Sources;

/// <summary>What a source is about: the sections of the clinical reference's bibliography.</summary>
public enum SourceTopic
{
    /// <summary>Pharmacokinetic models and facts.</summary>
    Pharmacokinetics,

    /// <summary>Receptors, channels, concentration and effect.</summary>
    Pharmacodynamics,

    /// <summary>Guidelines, labels, regimens, adverse effects, regulation.</summary>
    ClinicalPractice,

    /// <summary>Clinical scales and code systems.</summary>
    ScalesAndCodes,
}

/// <summary>
/// One work the clinical rules, models and documents rest on, as the clinical reference
/// (<c>docs/clinical-reference.md</c>, section Bibliography) gives it.
/// </summary>
/// <param name="Key">The key code and documents cite it by (e.g. <c>cohen2018</c>); also the reference's anchor.</param>
/// <param name="Topic">The bibliography section it is listed under.</param>
/// <param name="Citation">The full citation: authors, title, journal or publisher, year, volume and pages, and what was not checked.</param>
/// <param name="Doi">The DOI when it was checked against a bibliographic record.</param>
/// <param name="Pmid">The PubMed id when it was checked.</param>
/// <param name="ReadAs">How the work itself was read when the reference marks it: primary, secondary or unverified.</param>
public sealed record BibliographyEntry(string Key, SourceTopic Topic, string Citation, string? Doi, string? Pmid, Certainty? ReadAs)
{
    /// <summary>A link to the work by its DOI (or PubMed id), or null when neither was checked.</summary>
    public Uri? Link => Doi is not null ? new Uri("https://doi.org/" + Doi) : Pmid is not null ? new Uri("https://pubmed.ncbi.nlm.nih.gov/" + Pmid + "/") : null;
}

/// <summary>
/// Every source of the clinical reference, typed, for the app's Sources page and <c>ketacare sources</c>. A test
/// keeps it equal to the reference's bibliography (keys, topics, citations, DOIs, PMIDs), so the two cannot drift.
/// </summary>
public static class Bibliography
{
    /// <summary>Every source, in the reference's order.</summary>
    public static IReadOnlyList<BibliographyEntry> All { get; } =
    [
        new("domino1984", SourceTopic.Pharmacokinetics, "Domino EF, Domino SE, Smith RE, Domino LE, Goulet JR, Domino KE, Zsigmond EK. Ketamine kinetics in unmedicated and diazepam-premedicated subjects. Clin Pharmacol Ther 1984;36(5):645–653. DOI not checked.", null, null, null),
        new("clements1981", SourceTopic.Pharmacokinetics, "Clements JA, Nimmo WS. Pharmacokinetics and analgesic effect of ketamine in man. Br J Anaesth 1981;53(1):27–30. DOI not checked.", null, null, null),
        new("clements1982", SourceTopic.Pharmacokinetics, "Clements JA, Nimmo WS, Grant IS. Bioavailability, pharmacokinetics, and analgesic activity of ketamine in humans. J Pharm Sci 1982;71(5):539–542. DOI not checked.", null, null, Certainty.Unverified),
        new("hijazi2003", SourceTopic.Pharmacokinetics, "Hijazi Y, Bodonian C, Bolon M, Salord F, Boulieu R. Pharmacokinetics and haemodynamics of ketamine in intensive care patients with brain or spinal cord injury. Br J Anaesth 2003;90(2):155–160. DOI not checked.", null, null, null),
        new("herd2007", SourceTopic.Pharmacokinetics, "Herd D, Anderson BJ. Ketamine disposition in children presenting for procedural sedation and analgesia in a children's emergency department. Paediatr Anaesth 2007;17(7):622–629. doi:10.1111/j.1460-9592.2006.02145.x. PMID 17564643.", "10.1111/j.1460-9592.2006.02145.x", "17564643", null),
        new("herd2008", SourceTopic.Pharmacokinetics, "Herd DW, Anderson BJ, Keene NA, Hoskins KA. Investigating the pharmacodynamics of ketamine in children. Paediatr Anaesth 2008;18(1):36–42. DOI not checked.", null, null, null),
        new("hornik2018", SourceTopic.Pharmacokinetics, "Hornik CP, Gonzalez D, van den Anker J, et al.; Pediatric Trials Network Steering Committee. Population pharmacokinetics of intramuscular and intravenous ketamine in children. J Clin Pharmacol 2018. Volume, pages and DOI not checked.", null, null, null),
        new("flint2017", SourceTopic.Pharmacokinetics, "Flint RB, Brouwer CNM, Kränzlin ASC, Lie-A-Huen L, Bos AP, Mathôt RAA. Pharmacokinetics of S-ketamine during prolonged sedation at the pediatric intensive care unit. Paediatr Anaesth 2017;27(11):1098–1107. DOI not checked.", null, null, null),
        new("simons2022", SourceTopic.Pharmacokinetics, "Simons P, Olofsen E, van Velzen M, van Lemmen M, Mooren R, van Dasselaar T, Mohr P, Hammes F, van der Schrier R, Niesters M, Dahan A. S-ketamine oral thin film — Part 1: Population pharmacokinetics of S-ketamine, S-norketamine and S-hydroxynorketamine. Front Pain Res 2022;3:946486. doi:10.3389/fpain.2022.946486. PMID 35899184.", "10.3389/fpain.2022.946486", "35899184", null),
        new("perezruixo2021", SourceTopic.Pharmacokinetics, "Perez-Ruixo C, Rossenu S, Zannikos P, Nandy P, Singh J, Drevets WC, Perez-Ruixo JJ. Population pharmacokinetics of esketamine nasal spray and its metabolite noresketamine in healthy subjects and patients with treatment-resistant depression. Clin Pharmacokinet 2021;60(4):501–516. doi:10.1007/s40262-020-00953-4.", "10.1007/s40262-020-00953-4", null, null),
        new("kamp2020", SourceTopic.Pharmacokinetics, "Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A; Ketamine Pharmacokinetic Study Group. Ketamine pharmacokinetics: a systematic review of the literature, meta-analysis, and population analysis. Anesthesiology 2020;133(6):1192–1213. doi:10.1097/ALN.0000000000003577.", "10.1097/ALN.0000000000003577", null, null),
        new("fanta2015", SourceTopic.Pharmacokinetics, "Fanta S, Kinnunen M, Backman JT, Kalso E. Population pharmacokinetics of S-ketamine and norketamine in healthy volunteers after intravenous and oral dosing. Eur J Clin Pharmacol 2015;71(4):441–447. doi:10.1007/s00228-015-1826-y. PMID 25724645.", "10.1007/s00228-015-1826-y", "25724645", null),
        new("sigtermans2009anesth", SourceTopic.Pharmacokinetics, "Sigtermans M, Dahan A, Mooren R, Bauer M, Kest B, Sarton E, Olofsen E. S(+)-ketamine effect on experimental pain and cardiac output: a population pharmacokinetic-pharmacodynamic modeling study in healthy volunteers. Anesthesiology 2009;111(4):892–903. DOI not checked.", null, null, null),
        new("yanagihara2003", SourceTopic.Pharmacokinetics, "Yanagihara Y, Ohtani M, Kariya S, Uchino K, Hiraishi T, Ashizawa N, Aoyama T, Yamamura Y, Yamada Y, Iga T. Plasma concentration profiles of ketamine and norketamine after administration of various ketamine preparations to healthy Japanese volunteers. Biopharm Drug Dispos 2003;24(1):37–43. doi:10.1002/bdd.336.", "10.1002/bdd.336", null, null),
        new("intranasal2022", SourceTopic.Pharmacokinetics, "Pharmacokinetics and bioavailability of intranasal racemic ketamine at 10, 30 and 50 mg against 10 mg IV. Pharmacotherapy 2022;42(4):298–310. doi:10.1002/phar.2669. Authors and title not checked.", "10.1002/phar.2669", null, null),
        new("rolan2014", SourceTopic.Pharmacokinetics, "Rolan P, Lim S, Sunderland V, Liu Y, Molnar V. The absolute bioavailability of racemic ketamine from a novel sublingual formulation. Br J Clin Pharmacol 2014;77(6):1011–1016. doi:10.1111/bcp.12264. PMID 24977293.", "10.1111/bcp.12264", "24977293", null),
        new("chong2006", SourceTopic.Pharmacokinetics, "Chong C, Schug SA, et al. Sublingual and oral ketamine bioavailability in volunteers. Cited as \"Chong 2006\"; the journal, year and pages were not checked (the study may be the one published in Clin Drug Investig 2009).", null, null, Certainty.Unverified),
        new("otto2021", SourceTopic.Pharmacokinetics, "Otto et al., 2021, on arterial against venous sampling in ketamine pharmacokinetic models. Authors' initials, title, journal and DOI not checked.", null, null, null),
        new("simons2024thesis", SourceTopic.Pharmacokinetics, "Simons P. Pharmacotherapy and ventilatory control in health and disease. PhD thesis, Leiden University, 2024. ISBN 978-94-6506-095-8. Chapter 3 reports the volunteers of [simons2022](#simons2022).", null, null, null),
        new("nlmixr2lib", SourceTopic.Pharmacokinetics, "nlmixr2 development team. nlmixr2lib: a model library for nlmixr2 (R package), https://nlmixr2.github.io/nlmixr2lib/ — the public transcriptions of [simons2022](#simons2022) (Table 4, Figure 2) and [perezruixo2021](#perezruixo2021) (Table 3) that supply the parameters not listed above.", null, null, Certainty.Secondary),
        new("ebert1997", SourceTopic.Pharmacodynamics, "Ebert B, Mikkelsen S, Thorkildsen C, Borgbjerg FM. Norketamine, the main metabolite of ketamine, is a non-competitive NMDA receptor antagonist in the rat cortex and spinal cord. Eur J Pharmacol 1997;333(1):99–104. DOI not checked.", null, null, Certainty.Secondary),
        new("shimoyama1999", SourceTopic.Pharmacodynamics, "Shimoyama et al. Pain 1999;81:85 (racemic ketamine affinity for the NMDA receptor in forebrain and spinal cord). Authors' initials, title and DOI not checked.", null, null, null),
        new("hirota1999", SourceTopic.Pharmacodynamics, "Hirota K, Okawa H, Appadu BL, Grandy DK, Devi LA, Lambert DG. Stereoselective interaction of ketamine with recombinant μ, κ, and δ opioid receptors expressed in Chinese hamster ovary cells. Anesthesiology 1999;90(1):174–182. doi:10.1097/00000542-199901000-00023. PMID 9915326.", "10.1097/00000542-199901000-00023", "9915326", null),
        new("schnoebel2005", SourceTopic.Pharmacodynamics, "Schnoebel R, Wolff M, Peters SC, et al. Ketamine impairs excitability in superficial dorsal horn neurones by blocking sodium and voltage-gated potassium currents. Br J Pharmacol 2005;146(6):826–833. DOI not checked.", null, null, null),
        new("reckziegel2002", SourceTopic.Pharmacodynamics, "Reckziegel G, Friederich P, Urban BW. Ketamine effects on human neuronal Na⁺ channels. Eur J Anaesthesiol 2002;19(9):634–640. DOI not checked.", null, null, null),
        new("chen2009", SourceTopic.Pharmacodynamics, "Chen X, Shu S, Bayliss DA. HCN1 channel subunits are a molecular substrate for hypnotic actions of ketamine. J Neurosci 2009;29(3):600–609. DOI not checked.", null, null, Certainty.Secondary),
        new("coates2001", SourceTopic.Pharmacodynamics, "Coates KM, Flood P. Ketamine and its preservative, benzethonium chloride, both inhibit human recombinant α7 and α4β2 neuronal nicotinic acetylcholine receptors in Xenopus oocytes. Br J Pharmacol 2001;134(4):871–879. DOI not checked.", null, null, null),
        new("peltoniemi2016", SourceTopic.Pharmacodynamics, "Peltoniemi MA, Hagelberg NM, Olkkola KT, Saari TI. Ketamine: a review of clinical pharmacokinetics and pharmacodynamics in anesthesia and pain therapy. Clin Pharmacokinet 2016;55(9):1059–1077. doi:10.1007/s40262-016-0383-6.", "10.1007/s40262-016-0383-6", null, null),
        new("dayton1983", SourceTopic.Pharmacodynamics, "Dayton PG, Stiller RL, Cook DR, Perel JM. The binding of ketamine to plasma proteins: emphasis on human plasma. Eur J Clin Pharmacol 1983;24(6):825–831. DOI not checked.", null, null, null),
        new("dahan2011", SourceTopic.Pharmacodynamics, "Dahan A, Olofsen E, Sigtermans M, Noppers I, Niesters M, Aarts L, Bauer M, Sarton E. Population pharmacokinetic-pharmacodynamic modeling of ketamine-induced pain relief of chronic pain. Eur J Pain 2011;15(3):258–267. doi:10.1016/j.ejpain.2010.06.016.", "10.1016/j.ejpain.2010.06.016", null, null),
        new("zanos2018", SourceTopic.Pharmacodynamics, "Zanos P, Moaddel R, Morris PJ, Riggs LM, Highland JN, Georgiou P, Pereira EFR, Albuquerque EX, Thomas CJ, Zarate CA Jr, Gould TD. Ketamine and ketamine metabolite pharmacology: insights into therapeutic mechanisms. Pharmacol Rev 2018;70(3):621–660. doi:10.1124/pr.117.015198.", "10.1124/pr.117.015198", null, null),
        new("olofsen2012", SourceTopic.Pharmacodynamics, "Olofsen E, Noppers I, Niesters M, Kharasch E, Aarts L, Sarton E, Dahan A. Estimation of the contribution of norketamine to ketamine-induced acute pain relief and neurocognitive impairment in healthy volunteers. Anesthesiology 2012;117(2):353–364. DOI not checked.", null, null, null),
        new("bowdle1998", SourceTopic.Pharmacodynamics, "Bowdle TA, Radant AD, Cowley DS, Kharasch ED, Strassman RJ, Roy-Byrne PP. Psychedelic effects of ketamine in healthy volunteers: relationship to steady-state plasma concentrations. Anesthesiology 1998;88(1):82–88. DOI not checked.", null, null, null),
        new("langsjo2005", SourceTopic.Pharmacodynamics, "Långsjö JW, Maksimow A, Salmi E, et al. S-ketamine anesthesia increases cerebral blood flow in excess of the metabolic needs in humans. Anesthesiology 2005;103(2):258–268. DOI not checked.", null, null, null),
        new("cohen2018", SourceTopic.ClinicalPractice, "Cohen SP, Bhatia A, Buvanendran A, Schwenk ES, Wasan AD, Hurley RW, Viscusi ER, Narouze S, Davis FN, Ritchie EC, Lubenow TR, Hooten WM. Consensus guidelines on the use of intravenous ketamine infusions for chronic pain from the American Society of Regional Anesthesia and Pain Medicine, the American Academy of Pain Medicine, and the American Society of Anesthesiologists. Reg Anesth Pain Med 2018;43(5):521–546. doi:10.1097/AAP.0000000000000808.", "10.1097/AAP.0000000000000808", null, null),
        new("asa2023-statement", SourceTopic.ClinicalPractice, "American Society of Anesthesiologists. Statement on the use of ketamine (2023). A professional statement, not a journal article; no DOI.", null, null, null),
        new("ketalar-label", SourceTopic.ClinicalPractice, "Ketalar (ketamine hydrochloride) injection, US prescribing information. Par Pharmaceutical; first approved by the US FDA in 1970. The revision read was not recorded; check the current label (DailyMed or Drugs@FDA).", null, null, null),
        new("ketalar-smpc", SourceTopic.ClinicalPractice, "Ketalar 10 mg/ml, 50 mg/ml and 100 mg/ml Injection, summary of product characteristics (section 4.3, contraindications). Pfizer Limited, Sandwich, UK; Medicines and Healthcare products Regulatory Agency, revision of 2019.", null, null, null),
        new("ketamine-ch", SourceTopic.ClinicalPractice, "Ketamine injection, Swiss product information (Fachinformation), section Contraindications; Swissmedic authorisation 67199, as published in the Swiss drug compendium (ch.oddb.org). The revision read was not recorded.", null, null, null),
        new("spravato-label", SourceTopic.ClinicalPractice, "Spravato (esketamine) nasal spray, US prescribing information and REMS. Janssen Pharmaceuticals; approved by the US FDA on 5 March 2019.", null, null, null),
        new("schwartzman2009", SourceTopic.ClinicalPractice, "Schwartzman RJ, Alexander GM, Grothusen JR, Paylor T, Reichenberger E, Perreault M. Outpatient intravenous ketamine for the treatment of complex regional pain syndrome: a double-blind placebo controlled study. Pain 2009;147(1–3):107–115. doi:10.1016/j.pain.2009.08.015.", "10.1016/j.pain.2009.08.015", null, null),
        new("sigtermans2009pain", SourceTopic.ClinicalPractice, "Sigtermans MJ, van Hilten JJ, Bauer MCR, Arbous MS, Marinus J, Sarton EY, Dahan A. Ketamine produces effective and long-term pain relief in patients with Complex Regional Pain Syndrome Type 1. Pain 2009;145(3):304–311. DOI not checked.", null, null, null),
        new("goldberg2005", SourceTopic.ClinicalPractice, "Goldberg ME, Domsky R, Scaringe D, et al. Multi-day low dose ketamine infusion for the treatment of complex regional pain syndrome. Pain Physician 2005;8(2):175–179. DOI not checked.", null, null, null),
        new("rema2012", SourceTopic.ClinicalPractice, "Rema et al., 2012, conference abstract on daily escalating ketamine infusions for neuropathic pain. Authors, title and meeting not checked.", null, null, null),
        new("patil2012", SourceTopic.ClinicalPractice, "Patil S, Anitescu M. Efficacy of outpatient ketamine infusions in refractory chronic pain syndromes: a 5-year retrospective analysis. Pain Med 2012;13(2):263–269. DOI not checked.", null, null, null),
        new("outpatient-scheme", SourceTopic.ClinicalPractice, "The outpatient scheme clinics described when KetaCare was specified: 0.5–2 mg/kg over 1 h, starting low and raising the dose over sessions. Not a publication.", null, null, Certainty.Unverified),
        new("noppers2011", SourceTopic.ClinicalPractice, "Noppers IM, Niesters M, Aarts LPHJ, Bauer MCR, Drewes AM, Dahan A, Sarton EY. Drug-induced liver injury following a repeated course of ketamine treatment for chronic pain in CRPS type 1 patients: a report of 3 cases. Pain 2011;152(9):2173–2178. doi:10.1016/j.pain.2011.03.026.", "10.1016/j.pain.2011.03.026", null, null),
        new("interaction-studies", SourceTopic.ClinicalPractice, "The interaction figures above are carried as primary findings without the individual papers being named in KetaCare's sources. They match, as far as we know, these studies, which were not re-checked [U]: Hagelberg NM et al., clarithromycin and oral S-ketamine, Eur J Pain 2010; Peltoniemi MA et al., ticlopidine (and itraconazole) and oral S-ketamine, Clin Pharmacol Ther 2011; Peltoniemi MA et al., rifampicin and oral and IV S-ketamine, Basic Clin Pharmacol Toxicol 2012; Anand A et al., lamotrigine and the neuropsychiatric effects of ketamine, Arch Gen Psychiatry 2000.", null, null, null),
        new("devine1974", SourceTopic.ClinicalPractice, "Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650–655. The ideal-body-weight formula.", null, null, Certainty.Primary),
        new("bauer1983", SourceTopic.ClinicalPractice, "Bauer LA, Edwards WAD, Dellinger EP, Simonowitz DA. Influence of weight on aminoglycoside pharmacokinetics in normal weight and morbidly obese patients. Eur J Clin Pharmacol 1983;24(5):643–647. doi:10.1007/BF00542215. The 0.4 correction factor of the adjusted body weight.", "10.1007/BF00542215", null, Certainty.Primary),
        new("dworkin2008", SourceTopic.ScalesAndCodes, "Dworkin RH, Turk DC, Wyrwich KW, et al. Interpreting the clinical importance of treatment outcomes in chronic pain clinical trials: IMMPACT recommendations. J Pain 2008;9(2):105–121. doi:10.1016/j.jpain.2007.09.005.", "10.1016/j.jpain.2007.09.005", null, null),
        new("cleeland1994", SourceTopic.ScalesAndCodes, "Cleeland CS, Ryan KM. Pain assessment: global use of the Brief Pain Inventory. Ann Acad Med Singapore 1994;23(2):129–138. DOI not checked.", null, null, Certainty.Unverified),
        new("sessler2002", SourceTopic.ScalesAndCodes, "Sessler CN, Gosnell MS, Grap MJ, et al. The Richmond Agitation-Sedation Scale: validity and reliability in adult intensive care unit patients. Am J Respir Crit Care Med 2002;166(10):1338–1344. DOI not checked.", null, null, null),
        new("chernik1990", SourceTopic.ScalesAndCodes, "Chernik DA, Gillings D, Laine H, et al. Validity and reliability of the Observer's Assessment of Alertness/Sedation Scale: study with intravenous midazolam. J Clin Psychopharmacol 1990;10(4):244–251. DOI not checked.", null, null, Certainty.Unverified),
        new("bremner1998", SourceTopic.ScalesAndCodes, "Bremner JD, Krystal JH, Putnam FW, et al. Measurement of dissociative states with the Clinician-Administered Dissociative States Scale (CADSS). J Trauma Stress 1998;11(1):125–136. DOI not checked.", null, null, null),
        new("aldrete1995", SourceTopic.ScalesAndCodes, "Aldrete JA. The post-anesthesia recovery score revisited. J Clin Anesth 1995;7(1):89–91. DOI not checked.", null, null, Certainty.Unverified),
        new("ctcae5", SourceTopic.ScalesAndCodes, "National Cancer Institute. Common Terminology Criteria for Adverse Events (CTCAE), version 5.0. US Department of Health and Human Services, 2017.", null, null, null),
        new("loinc-table", SourceTopic.ScalesAndCodes, "Regenstrief Institute. LOINC (Logical Observation Identifiers Names and Codes), https://loinc.org.", null, null, Certainty.Secondary),
        new("icd-10-cm-codes", SourceTopic.ScalesAndCodes, "National Center for Health Statistics (CDC). ICD-10-CM, International Classification of Diseases, Tenth Revision, Clinical Modification.", null, null, Certainty.Secondary),
        new("onconova-ig", SourceTopic.ScalesAndCodes, "Onconova. Onconova Implementation Guide, version 0.2.0: ValueSet \"Recreational Drugs\" (http://onconova.github.io/fhir/ValueSet/onconova-vs-recreational-drugs), active as of 22 November 2025; expansion from tx.fhir.org on SNOMED CT International edition 2025-02-01.", null, null, Certainty.Secondary),
        new("uk-core-allergy", SourceTopic.ScalesAndCodes, "HL7 UK and NHS England. UK Core FHIR R4 implementation guide, AllergyIntolerance profile guidance: \"Handling of 'No known allergies'\" (SNOMED CT 716186003 |No known allergy| and its descendants; an active allergy takes precedence over the statement).", null, null, Certainty.Secondary),
        new("openfda-ndc", SourceTopic.ScalesAndCodes, "US Food and Drug Administration. openFDA drug NDC directory, https://api.fda.gov/drug/ndc.json, product NDC 71872-7296 (Medical Purchasing Solutions, ketamine hydrochloride 100 mg/mL), field openfda.rxcui; record updated 1 October 2026. RxCUIs in openFDA are taken from NLM's RxNorm.", null, null, Certainty.Secondary),
        new("be-ehealth-imaging-indication", SourceTopic.ScalesAndCodes, "eHealth Platform (Belgium). eReferral/PSS Diagnostic Imaging Indication, ValueSet be-vs-diagnostic-imaging-indication version 1.0.0 (https://www.ehealth.fgov.be/standards/fhir/terminology/ValueSet/be-vs-diagnostic-imaging-indication), SNOMED CT concepts with their fully specified names: 734947007 Complex regional pain syndrome type I (disorder); 128200000 Complex regional pain syndrome (disorder); 38341003 Hypertensive disorder, systemic arterial (disorder).", null, null, Certainty.Secondary),
        new("fhir-r4-meddisp0321", SourceTopic.ScalesAndCodes, "HL7 International. FHIR R4 (4.0.1) example MedicationDispense \"meddisp0321\" (http://hl7.org/fhir/R4/medicationdispense0321.json.html): dosageInstruction.asNeededCodeableConcept SNOMED CT 203082005 Fibromyalgia (disorder).", null, null, Certainty.Secondary),
    ];

    /// <summary>The source cited by <paramref name="key"/> (case-insensitive), or null.</summary>
    public static BibliographyEntry? Find(string? key) =>
        string.IsNullOrWhiteSpace(key) ? null : All.FirstOrDefault(s => string.Equals(s.Key, key.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Sources whose key or citation contains <paramref name="text"/> (case-insensitive); all when empty.</summary>
    public static IReadOnlyList<BibliographyEntry> Search(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? All
            : [.. All.Where(s => s.Key.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase) || s.Citation.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase))];
}
