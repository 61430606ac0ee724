/**
 * The CN risk questionnaire CN-2026.1 exactly as migration 1764500000000 seeds it: a frozen copy, so
 * that the migration never imports application code (issue 19). Never edit: a changed questionnaire
 * is a new version in a new migration. test/schema-drift.spec.ts checks it equals the application's.
 */
export const QUESTIONNAIRE_CN_V1_SEED = {
  version: 'CN-2026.1',
  questions: [
    {
      id: 'q01',
      category: 'INCOME_SOURCE',
      text: 'What is your main source of income? (您的主要收入来源是？)',
      options: [
        {
          id: 'q01a',
          text: 'No stable income: unemployed, student or supported by others (无固定收入)',
          score: 0,
        },
        {
          id: 'q01b',
          text: 'Pension, rent or other passive income (退休金、租金等)',
          score: 2,
        },
        {
          id: 'q01c',
          text: 'Wages or salary from employment (工资薪金)',
          score: 4,
        },
        {
          id: 'q01d',
          text: 'Business, professional or investment income (经营、专业服务或投资收入)',
          score: 6,
        },
      ],
    },
    {
      id: 'q02',
      category: 'INCOME_AMOUNT',
      text: 'What was your average annual personal income over the last 3 years, in CNY? (您近三年个人年均收入？)',
      options: [
        {
          id: 'q02a',
          text: 'Below 50,000 (5万元以下)',
          score: 0,
        },
        {
          id: 'q02b',
          text: '50,000 to 200,000 (5万至20万元)',
          score: 3,
        },
        {
          id: 'q02c',
          text: '200,000 to 500,000 (20万至50万元)',
          score: 6,
        },
        {
          id: 'q02d',
          text: '500,000 to 1,000,000 (50万至100万元)',
          score: 8,
        },
        {
          id: 'q02e',
          text: 'Above 1,000,000 (100万元以上)',
          score: 10,
        },
      ],
    },
    {
      id: 'q03',
      category: 'ASSETS',
      text: 'What are your financial assets (deposits, stocks, bonds, funds, wealth-management products, trusts, insurance), in CNY? (您的金融资产？)',
      options: [
        {
          id: 'q03a',
          text: 'Below 100,000 (10万元以下)',
          score: 0,
        },
        {
          id: 'q03b',
          text: '100,000 to 500,000 (10万至50万元)',
          score: 3,
        },
        {
          id: 'q03c',
          text: '500,000 to 3,000,000 (50万至300万元)',
          score: 6,
        },
        {
          id: 'q03d',
          text: '3,000,000 to 5,000,000 (300万至500万元)',
          score: 8,
        },
        {
          id: 'q03e',
          text: 'Above 5,000,000 (500万元以上)',
          score: 10,
        },
      ],
    },
    {
      id: 'q04',
      category: 'DEBTS',
      text: 'How would you describe your debts? (您的负债情况？)',
      options: [
        {
          id: 'q04a',
          text: 'Large debts that are hard to service: over half of my assets, or repayments over half of my income (负债较重)',
          score: 0,
        },
        {
          id: 'q04b',
          text: 'Moderate debts such as a mortgage that I service comfortably (有适度负债)',
          score: 3,
        },
        {
          id: 'q04c',
          text: 'Little or no debt (基本无负债)',
          score: 6,
        },
      ],
    },
    {
      id: 'q05',
      category: 'INVESTMENT_KNOWLEDGE',
      text: 'How much do you know about investment products and their risks? (您的投资知识水平？)',
      options: [
        {
          id: 'q05a',
          text: 'Very little: I know bank deposits only (基本没有)',
          score: 0,
        },
        {
          id: 'q05b',
          text: 'Basic: I know the difference between deposits, funds and stocks (初步了解)',
          score: 3,
        },
        {
          id: 'q05c',
          text: 'Good: I understand equity risks, illiquidity and valuation (比较了解)',
          score: 7,
        },
        {
          id: 'q05d',
          text: 'Expert: I have professional training or qualifications in finance (非常了解)',
          score: 10,
        },
      ],
    },
    {
      id: 'q06',
      category: 'INVESTMENT_EXPERIENCE',
      text: 'How long have you invested in products other than bank deposits? (您的投资经验？)',
      options: [
        {
          id: 'q06a',
          text: 'Never, or only bank deposits and bank wealth-management products (无经验)',
          score: 0,
        },
        {
          id: 'q06b',
          text: 'Less than 2 years of funds, stocks or bonds (2年以下)',
          score: 3,
        },
        {
          id: 'q06c',
          text: '2 to 5 years of funds, stocks or bonds (2至5年)',
          score: 6,
        },
        {
          id: 'q06d',
          text: 'More than 5 years, or experience with private equity, futures or derivatives (5年以上或有私募、期货、衍生品经验)',
          score: 10,
        },
      ],
    },
    {
      id: 'q07',
      category: 'STUDY_AND_WORK',
      text: 'Have you studied or worked in finance? (您是否有金融相关学习或工作经历？)',
      options: [
        {
          id: 'q07a',
          text: 'No finance-related study or work (没有)',
          score: 0,
        },
        {
          id: 'q07b',
          text: 'Finance-related study, or less than 2 years of finance-related work (有金融相关学习或少于2年工作经历)',
          score: 2,
        },
        {
          id: 'q07c',
          text: 'At least 2 years of finance-related work, or a professional qualification used in finance such as CPA or lawyer (2年以上金融工作经历或相关资格)',
          score: 4,
        },
      ],
    },
    {
      id: 'q08',
      category: 'INVESTMENT_HORIZON',
      text: 'How long can you leave this money invested? Equity crowdfunding investments can be locked up for years. (您计划的投资期限？)',
      options: [
        {
          id: 'q08a',
          text: 'Less than 1 year; I may need it back at any time (1年以内)',
          score: 0,
        },
        {
          id: 'q08b',
          text: '1 to 3 years (1至3年)',
          score: 3,
        },
        {
          id: 'q08c',
          text: '3 to 5 years (3至5年)',
          score: 6,
        },
        {
          id: 'q08d',
          text: 'More than 5 years (5年以上)',
          score: 8,
        },
      ],
    },
    {
      id: 'q09',
      category: 'EXPECTED_RETURN_AND_RISK_PREFERENCE',
      text: 'Which best describes your investment goal and attitude to risk? (您的投资目标和风险偏好？)',
      options: [
        {
          id: 'q09a',
          text: 'Preserve capital; returns similar to bank deposits are fine (保本为主)',
          score: 0,
        },
        {
          id: 'q09b',
          text: 'Steady returns with small fluctuations (稳健)',
          score: 3,
        },
        {
          id: 'q09c',
          text: 'Higher returns with moderate fluctuations (平衡)',
          score: 6,
        },
        {
          id: 'q09d',
          text: 'High returns, accepting large fluctuations (成长)',
          score: 8,
        },
        {
          id: 'q09e',
          text: 'Maximum returns, accepting the risk of losing the entire investment (进取)',
          score: 10,
        },
      ],
    },
    {
      id: 'q10',
      category: 'ACCEPTABLE_LOSS',
      text: 'What is the largest loss of the amount invested that you could accept? (您能承受的最大投资损失？)',
      options: [
        {
          id: 'q10a',
          text: 'I cannot accept any loss of principal (不能承受任何本金损失)',
          score: 0,
          lowestCategory: true,
        },
        {
          id: 'q10b',
          text: 'Up to 5% (5%以内)',
          score: 2,
        },
        {
          id: 'q10c',
          text: '5% to 20% (5%至20%)',
          score: 5,
        },
        {
          id: 'q10d',
          text: '20% to 50% (20%至50%)',
          score: 8,
        },
        {
          id: 'q10e',
          text: 'More than 50%, up to the whole amount (50%以上直至全部)',
          score: 10,
        },
      ],
    },
    {
      id: 'q11',
      category: 'AGE_AND_CAPACITY',
      text: 'Your age and capacity to decide (您的年龄及民事行为能力？)',
      options: [
        {
          id: 'q11a',
          text: '18 to 30 (18至30岁)',
          score: 5,
        },
        {
          id: 'q11b',
          text: '31 to 50 (31至50岁)',
          score: 6,
        },
        {
          id: 'q11c',
          text: '51 to 60 (51至60岁)',
          score: 4,
        },
        {
          id: 'q11d',
          text: '61 to 70 (61至70岁)',
          score: 2,
        },
        {
          id: 'q11e',
          text: 'Over 70 (70岁以上)',
          score: 0,
        },
        {
          id: 'q11f',
          text: 'I do not have full civil capacity, or someone else decides for me (无完全民事行为能力或由他人代为决策)',
          score: 0,
          lowestCategory: true,
        },
      ],
    },
    {
      id: 'q12',
      category: 'SHARE_OF_ASSETS',
      text: 'What share of your financial assets do you plan to put into investments like this? (您计划投资于此类产品的资金占金融资产的比例？)',
      options: [
        {
          id: 'q12a',
          text: 'More than 50% (50%以上)',
          score: 0,
        },
        {
          id: 'q12b',
          text: '30% to 50% (30%至50%)',
          score: 3,
        },
        {
          id: 'q12c',
          text: '10% to 30% (10%至30%)',
          score: 6,
        },
        {
          id: 'q12d',
          text: 'Less than 10% (10%以下)',
          score: 10,
        },
      ],
    },
  ],
} as const;
