% =============================================================================
% A town's childcare support: a small policy whose facts are records of dates
% (children and their birth dates), a decimal income, a date, an enum and a list
% of strings (the children in a nursery), written as of 2026-11-29.
% The rule book it is written from has four clauses:
%   1. A household living in the town since 2026-06-01 or earlier, with a child
%      under six in a registered nursery, an income below 60,000.50 a year and
%      no other childcare benefit, may claim the childcare subsidy.
%   2. A household with two or more children under six and an income below
%      90,000 a year may claim the large family bonus.
%   3. An unemployed parent of a child under six without another childcare
%      benefit may use the job seekers' childcare.
%   4. A household that may claim the subsidy and is not employed by an
%      employer may ask for the nursery fee to be waived.
% =============================================================================

source_clause("childcare rules 1").
source_clause("childcare rules 2").
source_clause("childcare rules 3").
source_clause("childcare rules 4").

@description(en: "When you moved to the town", zh: "您迁入本镇的日期")
@question(en: "When did you move to the town?", zh: "您何时迁入本镇？")
input moved_in(day: date).

@description(en: "Your children and their birth dates", zh: "您的子女及其出生日期")
@question(en: "Which children do you have, and when were they born?", zh: "您有哪些子女？各自的出生日期是？")
input child(name: string, born: date).

@description(en: "Your household's income per year", zh: "家庭年收入")
@question(en: "What is your household's income per year?", zh: "您的家庭年收入是多少？")
input income(amount: decimal).

@description(en: "How you are employed", zh: "您的就业情况")
@question(en: "How are you employed?", zh: "您的就业方式是？")
input employment(kind: enum(employee, self_employed, unemployed)).

@description(en: "You receive another childcare benefit", zh: "您领取其他托育补贴")
@question(en: "Do you receive another childcare benefit?", zh: "您是否领取其他托育补贴？")
input other_benefit.

@description(en: "Your children in a registered nursery", zh: "在登记托育机构的子女")
@question(en: "Which of your children are in a registered nursery?", zh: "您的哪些子女在登记托育机构？")
@values("many")
input in_nursery(name: string).

@doc("A child under six on 2026-11-29: born on 2020-11-30 or later.")
@description(en: "A child of yours under six", zh: "您六岁以下的子女")
derived young(name).
young(Name) :-
    child(Name, Born),
    Born >= 2026-11-29 - 2190.

@id("childcare.1")
@source("childcare rules 1")
@title(en: "Claim the childcare subsidy", zh: "申请托育补贴")
eligible(subsidy) :-
    moved_in(Day),
    Day <= 2026-06-01,
    young(Name),
    in_nursery(Name),
    income(Income),
    Income < 60000.50,
    not other_benefit.

@id("childcare.2")
@source("childcare rules 2")
@title(en: "Claim the large family bonus", zh: "申请多子女奖励")
eligible(large_family) :-
    Young = count : { young(Name) },
    Young >= 2,
    income(Income),
    Income < 90000.

@id("childcare.3")
@source("childcare rules 3")
@title(en: "Use the job seekers' childcare", zh: "使用求职者托育服务")
eligible(job_seeker_care) :-
    employment(unemployed),
    young(_),
    not other_benefit.

@id("childcare.4")
@source("childcare rules 4")
@title(en: "Ask for the nursery fee to be waived", zh: "申请减免托育费")
eligible(fee_waiver) :-
    eligible(subsidy),
    employment(Kind),
    Kind != employee.

procedure(subsidy, may).
procedure(large_family, may).
procedure(job_seeker_care, may).
procedure(fee_waiver, may).
title(subsidy, "Claim the childcare subsidy", "申请托育补贴").
title(large_family, "Claim the large family bonus", "申请多子女奖励").
title(job_seeker_care, "Use the job seekers' childcare", "使用求职者托育服务").
title(fee_waiver, "Ask for the nursery fee to be waived", "申请减免托育费").
office(subsidy, "Family office", "家庭事务办公室").
office(large_family, "Family office", "家庭事务办公室").
office(job_seeker_care, "Job centre", "就业中心").
office(fee_waiver, "Family office", "家庭事务办公室").
citation(subsidy, "childcare rules 1").
citation(large_family, "childcare rules 2").
citation(job_seeker_care, "childcare rules 3").
citation(fee_waiver, "childcare rules 4").

% --- What the rules conclude (the plan reads these) ---------------------------------
derived eligible(procedure: enum(subsidy, large_family, job_seeker_care, fee_waiver)).
derived procedure(procedure: enum(subsidy, large_family, job_seeker_care, fee_waiver), modality: enum(must, may, option)).
derived title(procedure, en: string, zh: string).
derived office(procedure, en: string, zh: string).
derived citation(procedure, text: string).
