% =============================================================================
% The sources: every clause of the two source documents (../../../shared/seeds/),
% as `source_clause` facts. `policylog check` reports a @source that names no
% clause listed here (unknown_source), and `policylog docs` writes a
% traceability table: each clause, the rules that encode it, or, for a clause
% listed in `advice_only`, the reason it has no rule.
% =============================================================================

% returnee-guide: "What should I do if I go abroad in Beijing without medical insurance?"
source_clause("returnee-guide I.1").
source_clause("returnee-guide I.2").
source_clause("returnee-guide II.1").
source_clause("returnee-guide II.2").
source_clause("returnee-guide II.3").
source_clause("returnee-guide II.4").
source_clause("returnee-guide II.5").
source_clause("returnee-guide III.1").
source_clause("returnee-guide III.2").
source_clause("returnee-guide III.3").
source_clause("returnee-guide III.4").

% nonlocal-guide: "How do foreigners pay medical insurance locally?"
source_clause("nonlocal-guide ways.1").
source_clause("nonlocal-guide ways.2").
source_clause("nonlocal-guide ways.3").
source_clause("nonlocal-guide ways.4").
source_clause("nonlocal-guide process.1").
source_clause("nonlocal-guide process.2").
source_clause("nonlocal-guide process.3").
source_clause("nonlocal-guide process.4").
source_clause("nonlocal-guide process.5").
source_clause("nonlocal-guide process.6").

% The Social Insurance Law of the PRC, Article 23 (the nonlocal guide's legal basis).
source_clause("SIL art.23 para.1").
source_clause("SIL art.23 para.2").

% Clauses that give advice and no rule, and why.
advice_only("nonlocal-guide process.1", "Advice to learn the local policy (scheme types, enrolment conditions, payment standards) before registering; it names no procedure, condition, place or document of its own", "建议先了解当地医保政策（险种、参保条件、缴费标准）；本身不规定任何手续、条件、地点或材料").
