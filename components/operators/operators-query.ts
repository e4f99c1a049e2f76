export const operatorsKey = ["operators"];
