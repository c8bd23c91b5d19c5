% =============================================================================
% returnee-guide: "What should I do if I go abroad in Beijing without medical
% insurance?" (../../../shared/seeds/000_f0469aa81c169652.txt)
%
% One section per item of the guide, in the guide's order. Each section holds
% the eligibility rule(s) -- the applicant's OWN conditions -- and then the
% procedure's catalogue data: modality, title, office, documents, duration,
% citation, and the milestones it needs and provides (the order of the steps).
% =============================================================================

% -----------------------------------------------------------------------------
% Part I. "If the overseas students cannot renew their insurance, they can only
% pay again (they have cancelled their accounts before going abroad)"
% -----------------------------------------------------------------------------

% I.1 — "if returnees want to pay medical insurance (social security) again,
%        they should first implement their household registration;"

@id("returnee-guide.I.1")
@source("returnee-guide I.1")
@title(en: "Re-enrol in medical insurance and pay again", zh: "重新参加医疗保险并重新缴费")
@explain(
    en: "You returned from study abroad, your hukou was cancelled before you went abroad (so the insurance cannot be renewed), you want to be insured here and you are not enrolled: you can only enrol and pay again",
    zh: "您是留学回国人员，出国前已注销户口（医保因此无法续保），希望在本地参保且尚未参保：只能重新参保缴费")
@interpretation("The 'accounts' cancelled before going abroad are read as the hukou, as everywhere in this translation (II.2 'certificate of account cancellation', II.5 'minor children's accounts'): the insurance lapsed with the hukou, which is why the guide sends the returnee to restore the hukou first. 'If returnees want to pay again' is the condition wants_to_pay_locally. 'Not enrolled yet' is not in the text: it is read as the state in which paying again is still to be done. 'First implement the household registration' is the prerequisite needs(hukou), not an own condition.")
eligible(re_enroll_medical_insurance) :-
    returned_overseas_student,
    hukou_cancelled_before_leaving,
    wants_to_pay_locally,
    not enrolled_in_medical_insurance.

procedure(re_enroll_medical_insurance, must).
title(re_enroll_medical_insurance, "Re-enrol in medical insurance and pay again", "重新参加医疗保险并重新缴费").
citation(re_enroll_medical_insurance, "returnee-guide I.1").
needs(re_enroll_medical_insurance, hukou).  % "should first implement their household registration"
provides(re_enroll_medical_insurance, enrolment).

% I.2 — "After the household registration is implemented, apply for an ID card
%        with the household registration book, and then apply for a medical
%        insurance card."

@id("returnee-guide.I.2")
@source("returnee-guide I.2")
@title(en: "Apply for an ID card", zh: "申领居民身份证")
@explain(en: "You returned from study abroad and hold no valid ID card", zh: "您是留学回国人员，没有有效的居民身份证")
@interpretation("Read as applying to returned overseas students (the guide's subject) who hold no valid ID card. 'After the household registration is implemented' is the prerequisite needs(hukou).")
eligible(apply_for_id_card) :-
    returned_overseas_student,
    not has_valid_id_card.

procedure(apply_for_id_card, must).
title(apply_for_id_card, "Apply for an ID card", "申领居民身份证").
document(apply_for_id_card, household_register, "Household registration book", "户口簿").
citation(apply_for_id_card, "returnee-guide I.2").
needs(apply_for_id_card, hukou).  % "After the household registration is implemented"
provides(apply_for_id_card, id_card).
% "... and then apply for a medical insurance card": the card channels of
% Part III need id_card (see there).

% -----------------------------------------------------------------------------
% Part II. "how to implement the hukou of returned overseas students"
% II.1-II.4 are alternative routes to the hukou (group hukou_route); each is
% read, with Part I, as being for a returnee whose hukou was cancelled before
% going abroad and who holds no hukou here now.
% -----------------------------------------------------------------------------

% II.1 — "overseas students who go abroad on business or at their own expense,
%         who want to restore their registered permanent residence after
%         returning to China, can go through the formalities of restoring their
%         registered permanent residence directly with their passports."

@id("returnee-guide.II.1.public_assignment")
@source("returnee-guide II.1")
@title(en: "Went abroad on public assignment", zh: "公派出国")
abroad_on_assignment_or_self_funded :-
    went_abroad_as(public_assignment).

@id("returnee-guide.II.1.self_funded")
@source("returnee-guide II.1")
@title(en: "Went abroad at own expense", zh: "自费出国")
abroad_on_assignment_or_self_funded :-
    went_abroad_as(self_funded).

@id("returnee-guide.II.1")
@source("returnee-guide II.1")
@title(en: "Restore your hukou with your passport", zh: "凭护照恢复户口")
@explain(
    en: "You went abroad on public assignment or at your own expense, your hukou was cancelled before you left, you want it restored, and you settle neither under another station nor in another city",
    zh: "您公派或自费出国，出国前已注销户口，希望恢复户口，且不在其他派出所辖区或其他市县落户")
@interpretation("The guide names no station for II.1; read as the station of the original registration, because II.2 covers other stations of the same city or county and II.3/II.4 other cities or counties. So II.1 applies only when there is no justified reason for another station and no resettlement across cities or counties. Read as requiring a cancelled hukou and no hukou here now.")
eligible(restore_hukou_with_passport) :-
    returned_overseas_student,
    abroad_on_assignment_or_self_funded,
    hukou_cancelled_before_leaving,
    wants_hukou_restored,
    not has_local_hukou,
    not justified_reason_other_station,
    not resettled_across_cities.

procedure(restore_hukou_with_passport, option).
alternative(restore_hukou_with_passport, hukou_route).
title(restore_hukou_with_passport, "Restore your hukou with your passport", "凭护照恢复户口").
@interpretation("The guide does not name the station; read as the police station of the original registration.")
office(restore_hukou_with_passport, "The police station of your original hukou registration", "原户口所在地派出所").
document(restore_hukou_with_passport, passport, "Passport", "护照").
citation(restore_hukou_with_passport, "returnee-guide II.1").
@source("returnee-guide II.1")
needs(restore_hukou_with_passport, passport).  % "directly with their passports"
provides(restore_hukou_with_passport, hukou).

% II.2 — "If there are justified reasons to register an account in the
%         jurisdiction of other police stations in this city or this county,
%         you can go through the settlement formalities at the local police
%         station with the passport of the returned overseas students and the
%         certificate of account cancellation issued by the local police station
%         where the original account is located (the certificate should specify
%         the details of the registered account before the account
%         cancellation)."

@id("returnee-guide.II.2")
@source("returnee-guide II.2")
@title(
    en: "Settle your hukou under another police station in the same city or county",
    zh: "在本市（县）其他派出所辖区落户")
@explain(
    en: "You went abroad on public assignment or at your own expense, your hukou was cancelled before you left, you want it back, and you have a justified reason to register under another police station in the same city or county",
    zh: "您公派或自费出国，出国前已注销户口，希望恢复户口，并有正当理由在本市（县）其他派出所辖区落户")
@interpretation("Read as II.1's returnee (public assignment or self-funded, hukou cancelled, wants it back, no hukou here now) with a justified reason for another station in the same city or county; a resettlement across cities or counties is II.3/II.4 instead.")
eligible(settle_at_other_station) :-
    returned_overseas_student,
    abroad_on_assignment_or_self_funded,
    hukou_cancelled_before_leaving,
    wants_hukou_restored,
    not has_local_hukou,
    justified_reason_other_station,
    not resettled_across_cities.

procedure(settle_at_other_station, option).
alternative(settle_at_other_station, hukou_route).
title(settle_at_other_station, "Settle your hukou under another police station in the same city or county", "在本市（县）其他派出所辖区落户").
office(settle_at_other_station, "The police station of the place where you will register", "拟落户地派出所").
document(settle_at_other_station, passport, "Passport", "护照").
document(settle_at_other_station, hukou_cancellation_certificate, "Certificate of hukou cancellation from the police station of the original registration, stating the registration details before cancellation", "原户口所在地派出所出具的注销户口证明（注明注销前的户口登记详情）").
citation(settle_at_other_station, "returnee-guide II.2").
@source("returnee-guide II.2")
needs(settle_at_other_station, passport).  % "with the passport ..."
@source("returnee-guide II.2")
needs(settle_at_other_station, hukou_cancellation_certificate).  % "... and the certificate of account cancellation"
provides(settle_at_other_station, hukou).

% II.3 — "Returned overseas students who need to be resettled across cities and
%         counties belong to the unified distribution of the state. With the
%         relevant certificates of the Ministry of Education and the Ministry of
%         Personnel, go through the settlement formalities at the local police
%         station where the receiving unit is located;"

@id("returnee-guide.II.3")
@source("returnee-guide II.3")
@title(en: "Settle across cities or counties under state unified assignment", zh: "国家统一分配的跨市、县落户")
@explain(
    en: "You returned from study abroad, your hukou was cancelled before you left, and you are resettled across cities or counties under the state's unified assignment",
    zh: "您是留学回国人员，出国前已注销户口，属于国家统一分配的跨市、县安置")
@interpretation("Read, with Part I, as for a returnee whose hukou was cancelled before going abroad and who holds no hukou here now; II.3 does not restrict how the returnee went abroad.")
eligible(settle_cross_region_state_assigned) :-
    returned_overseas_student,
    hukou_cancelled_before_leaving,
    not has_local_hukou,
    resettled_across_cities,
    state_unified_assignment.

procedure(settle_cross_region_state_assigned, option).
alternative(settle_cross_region_state_assigned, hukou_route).
title(settle_cross_region_state_assigned, "Settle across cities or counties under state unified assignment", "国家统一分配的跨市、县落户").
office(settle_cross_region_state_assigned, "The police station where the receiving unit is located", "接收单位所在地派出所").
document(settle_cross_region_state_assigned, moe_mop_certificates, "Relevant certificates of the Ministry of Education and the Ministry of Personnel", "教育部、人事部的有关证明").
citation(settle_cross_region_state_assigned, "returnee-guide II.3").
@source("returnee-guide II.3")
needs(settle_cross_region_state_assigned, moe_mop_certificates).  % "With the relevant certificates ..."
provides(settle_cross_region_state_assigned, hukou).

% II.4 — "do not belong to the unified distribution of the state, with the
%         passport and the certificate of the personnel department at or above
%         the receiving city and county to the receiving police station for
%         settlement procedures."

@id("returnee-guide.II.4")
@source("returnee-guide II.4")
@title(
    en: "Settle across cities or counties outside state unified assignment",
    zh: "非国家统一分配的跨市、县落户")
@explain(
    en: "You returned from study abroad, your hukou was cancelled before you left, and you are resettled across cities or counties, not under the state's unified assignment",
    zh: "您是留学回国人员，出国前已注销户口，跨市、县安置且不属于国家统一分配")
@interpretation("Read as II.3's returnee (hukou cancelled, no hukou here now, resettled across cities or counties) whose resettlement is not under the state's unified assignment.")
eligible(settle_cross_region_self_arranged) :-
    returned_overseas_student,
    hukou_cancelled_before_leaving,
    not has_local_hukou,
    resettled_across_cities,
    not state_unified_assignment.

procedure(settle_cross_region_self_arranged, option).
alternative(settle_cross_region_self_arranged, hukou_route).
title(settle_cross_region_self_arranged, "Settle across cities or counties outside state unified assignment", "非国家统一分配的跨市、县落户").
office(settle_cross_region_self_arranged, "The police station of the receiving place", "接收地派出所").
document(settle_cross_region_self_arranged, passport, "Passport", "护照").
document(settle_cross_region_self_arranged, receiving_personnel_certificate, "Certificate of the personnel department at or above city/county level of the receiving place", "接收地市、县以上人事部门的证明").
citation(settle_cross_region_self_arranged, "returnee-guide II.4").
@source("returnee-guide II.4")
needs(settle_cross_region_self_arranged, passport).  % "with the passport ..."
@source("returnee-guide II.4")
needs(settle_cross_region_self_arranged, receiving_personnel_certificate).  % "... and the certificate of the personnel department"
provides(settle_cross_region_self_arranged, hukou).

% II.5 — "Returned students who have obtained doctoral degrees or have been
%         transferred to national key projects, large and medium-sized
%         state-owned enterprises, and worked in remote and hard areas can go
%         through the formalities of moving in their families and minor
%         children's accounts with the relevant certificates and household
%         registration certificates of personnel departments at or above the
%         provincial level."
% Three kinds of returnee, one rule each.

@id("returnee-guide.II.5.doctorate")
@source("returnee-guide II.5")
@title(en: "Move in your family's hukou (doctorate holder)", zh: "迁入配偶及未成年子女户口（获博士学位）")
@explain(
    en: "You returned from study abroad with a doctoral degree and have a spouse or minor children to move in",
    zh: "您是获得博士学位的留学回国人员，有需要迁入户口的配偶或未成年子女")
@interpretation("'Families' is read as the spouse; the family moves into the returnee's own hukou here, so needs(hukou) is a prerequisite.")
eligible(move_in_family_hukou) :-
    returned_overseas_student,
    has_doctorate,
    has_spouse_or_minor_children.

@id("returnee-guide.II.5.key_project_or_soe")
@source("returnee-guide II.5")
@title(
    en: "Move in your family's hukou (key project or state-owned enterprise)",
    zh: "迁入配偶及未成年子女户口（调入国家重点工程或大中型国有企业）")
@explain(
    en: "You returned from study abroad, were transferred to a national key project or a large or medium-sized state-owned enterprise, and have a spouse or minor children to move in",
    zh: "您是调入国家重点工程或大中型国有企业的留学回国人员，有需要迁入户口的配偶或未成年子女")
@interpretation("'Families' is read as the spouse; the family moves into the returnee's own hukou here, so needs(hukou) is a prerequisite.")
eligible(move_in_family_hukou) :-
    returned_overseas_student,
    transferred_to_key_project_or_soe,
    has_spouse_or_minor_children.

@id("returnee-guide.II.5.remote_hard_area")
@source("returnee-guide II.5")
@title(en: "Move in your family's hukou (remote and hard area)", zh: "迁入配偶及未成年子女户口（在边远艰苦地区工作）")
@explain(
    en: "You returned from study abroad, work in a remote and hard area, and have a spouse or minor children to move in",
    zh: "您是在边远艰苦地区工作的留学回国人员，有需要迁入户口的配偶或未成年子女")
@interpretation("The English 'and worked in remote and hard areas' is read as a third alternative kind of returnee (the list is of alternatives). 'Families' is read as the spouse.")
eligible(move_in_family_hukou) :-
    returned_overseas_student,
    works_in_remote_hard_area,
    has_spouse_or_minor_children.

procedure(move_in_family_hukou, may).
title(move_in_family_hukou, "Move in your spouse's and minor children's hukou", "办理配偶及未成年子女户口迁入").
document(move_in_family_hukou, provincial_personnel_certificate, "Relevant certificates of a personnel department at or above provincial level", "省级以上人事部门的有关证明").
document(move_in_family_hukou, family_household_certificates, "Household registration certificates of your spouse and minor children", "配偶及未成年子女的户籍证明").
citation(move_in_family_hukou, "returnee-guide II.5").
needs(move_in_family_hukou, hukou).  % they move into the returnee's hukou
@source("returnee-guide II.5")
needs(move_in_family_hukou, provincial_personnel_certificate).  % "with the relevant certificates ..."
@source("returnee-guide II.5")
needs(move_in_family_hukou, family_household_certificates).  % "... and household registration certificates"
provides(move_in_family_hukou, family_hukou).

% -----------------------------------------------------------------------------
% Part III. "how to apply for a medical insurance card"
% Four alternative channels (group card_channel): one is enough. Each is for
% "the insured person" without a card and needs the premiums paid (nonlocal-guide
% process.6: "After the payment is completed, get a medical insurance card").
% III.1-III.3 need the insured's valid certificate, read as the ID card (an
% @interpretation on each); III.4 names only the employer's letter and the
% agent's certificate, so it needs the letter and not the insured's ID card.
% -----------------------------------------------------------------------------

% "The insured person": enrolled already, or about to enrol.

@id("returnee-guide.III.insured.enrolled")
@source("returnee-guide III.1")
@title(en: "You are insured", zh: "您已参保")
@interpretation("'The insured person' covers a person already enrolled.")
insured_or_enrolling :-
    achieved(enrolment).

@id("returnee-guide.III.insured.enrolling")
@source("returnee-guide III.1")
@title(en: "You are about to enrol in medical insurance", zh: "您即将参加医疗保险")
@interpretation("'The insured person' also covers a person for whom an enrolment procedure applies: the plan orders the card after the enrolment and payment through needs/provides.")
insured_or_enrolling :-
    eligible(P),
    provides(P, enrolment).

% III.1 — "The insured person carries his/her valid certificate (ID card,
%          household registration book, etc.) apply to the neighboring district
%          and county medical insurance center, and the district and county
%          medical insurance center will complete it on the spot;"

@id("returnee-guide.III.1")
@source("returnee-guide III.1")
@interpretation("'Apply for a medical insurance card' is read as for the insured person (insured_or_enrolling) who does not hold a card yet; the text states neither condition in so many words.")
@title(en: "Apply for the card at the district/county medical insurance center", zh: "到区县医保中心申领医保卡")
@explain(
    en: "You are insured (or about to be) and hold no medical insurance card",
    zh: "您已参保（或即将参保），尚无医保卡")
eligible(apply_card_at_district_center) :-
    insured_or_enrolling,
    not has_medical_insurance_card.

procedure(apply_card_at_district_center, option).
alternative(apply_card_at_district_center, card_channel).
title(apply_card_at_district_center, "Apply for the card at the district/county medical insurance center", "到区县医保中心申领医保卡").
office(apply_card_at_district_center, "A nearby district/county medical insurance center", "就近的区县医保中心").
document(apply_card_at_district_center, id_card, "ID card", "居民身份证").
document(apply_card_at_district_center, household_register, "Household registration book", "户口簿").
duration(apply_card_at_district_center, "Done on the spot", "当场办结").
citation(apply_card_at_district_center, "returnee-guide III.1").
@interpretation("III names the insured's 'valid certificate (ID card, household registration book, etc.)'; read narrowly as the ID card, which I.2 ('... and then apply for a medical insurance card') puts before the card. The household registration book alone is not read as enough.")
needs(apply_card_at_district_center, id_card).
@source("nonlocal-guide process.6")
needs(apply_card_at_district_center, payment).  % "After the payment is completed, get a medical insurance card"
provides(apply_card_at_district_center, card).

% III.2 — "The insured person can also apply to the nearest street (town)
%          medical insurance service point (hereinafter referred to as the
%          service point) for handling, and the service point will be completed
%          within 3 working days; The insured person shall go to the service
%          point to receive the "Medical Insurance Card" within the specified
%          time."

@id("returnee-guide.III.2")
@source("returnee-guide III.2")
@interpretation("'Apply for a medical insurance card' is read as for the insured person (insured_or_enrolling) who does not hold a card yet; the text states neither condition in so many words.")
@title(
    en: "Apply for the card at the nearest street (town) service point",
    zh: "到就近的街道（乡镇）医保服务网点申领医保卡")
@explain(
    en: "You are insured (or about to be) and hold no medical insurance card",
    zh: "您已参保（或即将参保），尚无医保卡")
eligible(apply_card_at_service_point) :-
    insured_or_enrolling,
    not has_medical_insurance_card.

procedure(apply_card_at_service_point, option).
alternative(apply_card_at_service_point, card_channel).
title(apply_card_at_service_point, "Apply for the card at the nearest street (town) service point", "到就近的街道（乡镇）医保服务网点申领医保卡").
office(apply_card_at_service_point, "The nearest street (town) medical insurance service point", "就近的街道（乡镇）医保服务网点").
@interpretation("III.2 names no documents; read as the same valid certificates as III.1.")
document(apply_card_at_service_point, id_card, "ID card", "居民身份证").
document(apply_card_at_service_point, household_register, "Household registration book", "户口簿").
duration(apply_card_at_service_point, "Within 3 working days; collect the card at the service point within the set time", "3个工作日内办结，在规定时间内到服务网点领取医保卡").
citation(apply_card_at_service_point, "returnee-guide III.2").
@interpretation("III names the insured's 'valid certificate (ID card, household registration book, etc.)'; read narrowly as the ID card, which I.2 ('... and then apply for a medical insurance card') puts before the card. The household registration book alone is not read as enough.")
needs(apply_card_at_service_point, id_card).
@source("nonlocal-guide process.6")
needs(apply_card_at_service_point, payment).  % "After the payment is completed, get a medical insurance card"
provides(apply_card_at_service_point, card).

% III.3 — "The insured may entrust others to handle it on his behalf. Customers
%          need to carry valid certificates of themselves and the insured when
%          handling;"

@id("returnee-guide.III.3")
@source("returnee-guide III.3")
@interpretation("'Apply for a medical insurance card' is read as for the insured person (insured_or_enrolling) who does not hold a card yet; the text states neither condition in so many words.")
@title(en: "Have someone apply for the card on your behalf", zh: "委托他人代办医保卡")
@explain(
    en: "You are insured (or about to be), hold no medical insurance card and want to entrust someone to apply for it",
    zh: "您已参保（或即将参保），尚无医保卡，希望委托他人代办")
eligible(apply_card_by_agent) :-
    insured_or_enrolling,
    not has_medical_insurance_card,
    wants_agent.

procedure(apply_card_by_agent, option).
alternative(apply_card_by_agent, card_channel).
title(apply_card_by_agent, "Have someone apply for the card on your behalf", "委托他人代办医保卡").
@interpretation("III.3 names no place; read as the places of III.1 and III.2.")
office(apply_card_by_agent, "The district/county medical insurance center or a street (town) service point (as in III.1 and III.2)", "区县医保中心或街道（乡镇）医保服务网点（同第三部分第1、2项）").
document(apply_card_by_agent, agent_certificate, "The agent's own valid certificate (ID card)", "代办人本人的有效证件（身份证）").
document(apply_card_by_agent, id_card, "ID card", "居民身份证").
citation(apply_card_by_agent, "returnee-guide III.3").
@interpretation("III names the insured's 'valid certificate (ID card, household registration book, etc.)'; read narrowly as the ID card, which I.2 ('... and then apply for a medical insurance card') puts before the card. The household registration book alone is not read as enough.")
needs(apply_card_by_agent, id_card).
@source("nonlocal-guide process.6")
needs(apply_card_by_agent, payment).  % "After the payment is completed, get a medical insurance card"
provides(apply_card_by_agent, card).

% III.4 — "When the employer handles it centrally, it can be handled by the
%          employer's letter of introduction and the valid certificate of the
%          agent, and then the employer issues the medical insurance card to the
%          insured."

@id("returnee-guide.III.4")
@source("returnee-guide III.4")
@interpretation("'Apply for a medical insurance card' is read as for the insured person (insured_or_enrolling) who does not hold a card yet; the text states neither condition in so many words.")
@title(en: "Get the card through your employer", zh: "由用人单位集中办理医保卡")
@explain(
    en: "You are insured (or about to be), hold no medical insurance card and your employer applies for cards centrally",
    zh: "您已参保（或即将参保），尚无医保卡，且用人单位集中办理医保卡")
eligible(apply_card_via_employer) :-
    insured_or_enrolling,
    not has_medical_insurance_card,
    employer_handles_centrally.

procedure(apply_card_via_employer, option).
alternative(apply_card_via_employer, card_channel).
title(apply_card_via_employer, "Get the card through your employer", "由用人单位集中办理医保卡").
office(apply_card_via_employer, "Through your employer, which hands out the cards", "由用人单位统一办理并发放医保卡").
document(apply_card_via_employer, employer_letter, "The employer's letter of introduction", "用人单位介绍信").
document(apply_card_via_employer, agent_certificate, "The valid certificate of the employer's agent", "用人单位经办人的有效证件").
citation(apply_card_via_employer, "returnee-guide III.4").
@source("returnee-guide III.4")
needs(apply_card_via_employer, employer_letter).  % "by the employer's letter of introduction"
@source("nonlocal-guide process.6")
needs(apply_card_via_employer, payment).  % "After the payment is completed, get a medical insurance card"
provides(apply_card_via_employer, card).
