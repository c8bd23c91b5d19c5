% =============================================================================
% A small policy whose answers compare two unknown amounts: a household's income.
% The rule book it is written from has three clauses:
%   1. A household whose two incomes together are below 3,000 a month may apply
%      for the housing allowance.
%   2. An applicant who earns more than their partner by over 2,000 a month
%      pays the partner's share of the contribution.
%   3. Rent above half of the two incomes together is a hardship case.
% =============================================================================

source_clause("household rules 1").
source_clause("household rules 2").
source_clause("household rules 3").

@description(en: "Your monthly income", zh: "您的月收入")
@question(en: "What is your monthly income?", zh: "您的月收入是多少？")
input income(amount: integer).

@description(en: "Your partner's monthly income", zh: "您配偶的月收入")
@question(en: "What is your partner's monthly income?", zh: "您配偶的月收入是多少？")
input partner_income(amount: integer).

@description(en: "Your monthly rent", zh: "您的月租金")
@question(en: "What is your monthly rent?", zh: "您的月租金是多少？")
input rent(amount: integer).

@id("household.1")
@source("household rules 1")
@title(en: "Apply for the housing allowance", zh: "申请住房补贴")
eligible(housing_allowance) :-
    income(Mine), partner_income(Theirs), Mine + Theirs < 3000.

@id("household.2")
@source("household rules 2")
@title(en: "Pay your partner's share of the contribution", zh: "代缴配偶的缴费份额")
eligible(pay_partner_share) :-
    income(Mine), partner_income(Theirs), Mine - Theirs > 2000.

@id("household.3")
@source("household rules 3")
@title(en: "Ask for the hardship review", zh: "申请困难审查")
eligible(hardship_review) :-
    income(Mine), partner_income(Theirs), rent(Rent), Rent * 2 > Mine + Theirs,
    Mine + Theirs < 3000.

procedure(housing_allowance, may).
procedure(pay_partner_share, must).
procedure(hardship_review, may).
title(housing_allowance, "Apply for the housing allowance", "申请住房补贴").
title(pay_partner_share, "Pay your partner's share of the contribution", "代缴配偶的缴费份额").
title(hardship_review, "Ask for the hardship review", "申请困难审查").
office(housing_allowance, "Housing office", "住房办公室").
office(pay_partner_share, "Contribution office", "缴费办公室").
office(hardship_review, "Housing office", "住房办公室").
citation(housing_allowance, "household rules 1").
citation(pay_partner_share, "household rules 2").
citation(hardship_review, "household rules 3").

% --- What the rules conclude (the plan reads these) ---------------------------------
derived eligible(procedure: enum(housing_allowance, pay_partner_share, hardship_review)).
derived procedure(procedure: enum(housing_allowance, pay_partner_share, hardship_review),
                  modality: enum(must, may, option)).
derived title(procedure, en: string, zh: string).
derived office(procedure, en: string, zh: string).
derived citation(procedure, text: string).
